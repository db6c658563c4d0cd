import { createHmac, randomBytes } from 'node:crypto';
import type { SandboxAnswer } from './test-cards.js';

export interface ChargeCount {
  /** Times the card was actually run (charged or tokenised) under this key: 1 when idempotency holds. */
  readonly charges: number;
  /** Requests received with this key, retries included. */
  readonly requests: number;
  readonly outcome: 'succeeded' | 'declined' | 'error' | 'pending';
}

interface Entry {
  readonly fingerprint: string;
  readonly answer: SandboxAnswer;
  charges: number;
  requests: number;
}

export type Lookup =
  | { readonly kind: 'new' }
  | { readonly kind: 'replay'; readonly answer: SandboxAnswer }
  | { readonly kind: 'mismatch' };

/**
 * The sandbox's memory of idempotency keys: the first answer under a key is kept and replayed for
 * every later request with the same key and the same payload (a 500 and a hang included, as Stripe
 * replays a saved 500). Payloads are compared by HMAC under a key that lives only in this process,
 * so no card data is kept, hashed or otherwise. Oldest keys are forgotten beyond `maxKeys`.
 */
export class IdempotencyStore {
  readonly #entries = new Map<string, Entry>();
  readonly #secret = randomBytes(32);
  readonly #maxKeys: number;

  constructor(options: { maxKeys?: number } = {}) {
    this.#maxKeys = options.maxKeys ?? 10_000;
  }

  fingerprint(canonicalPayload: string): string {
    return createHmac('sha256', this.#secret).update(canonicalPayload).digest('base64url');
  }

  /** Looks a request up and counts it. */
  lookup(key: string, fingerprint: string): Lookup {
    const entry = this.#entries.get(key);
    if (!entry) return { kind: 'new' };
    entry.requests += 1;
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    return { kind: 'replay', answer: entry.answer };
  }

  /** Remembers the first answer under `key`, counting one charge and one request. */
  record(key: string, fingerprint: string, answer: SandboxAnswer): void {
    this.#entries.set(key, { fingerprint, answer, charges: 1, requests: 1 });
    while (this.#entries.size > this.#maxKeys) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  counts(): Record<string, ChargeCount> {
    return Object.fromEntries(
      [...this.#entries].map(([key, entry]) => [
        key,
        {
          charges: entry.charges,
          requests: entry.requests,
          outcome: entry.answer.kind === 'hang' ? 'pending' : entry.answer.outcome,
        },
      ]),
    );
  }
}
