import { createHmac, randomBytes } from 'node:crypto';
import type { SandboxAnswer, SandboxReply } from './test-cards.js';

export interface ChargeCount {
  /** The payload's payment id (tests find their payment's key by it). */
  readonly paymentId: string;
  /** Times the card was actually run (charged or tokenised) under this key: 1 when idempotency holds. */
  readonly charges: number;
  /** Requests received with this key, retries included. */
  readonly requests: number;
  readonly outcome: 'succeeded' | 'declined' | 'error' | 'pending';
}

interface Entry {
  readonly paymentId: string;
  readonly fingerprint: string;
  readonly answer: SandboxAnswer;
  /** Epoch ms until which a "no answer" card holds its answer back. */
  readonly heldUntil: number;
  charges: number;
  requests: number;
}

/** What the key's request has come to at a moment: held back still, or its answer. */
export type Settled =
  | { readonly kind: 'held'; readonly remainingMs: number }
  | { readonly kind: 'answered'; readonly reply: SandboxReply };

export type Lookup =
  | { readonly kind: 'new' }
  | { readonly kind: 'replay'; readonly settled: Settled }
  | { readonly kind: 'mismatch' };

/** How long a `jti` is remembered: longer than any `iat` the sandbox accepts can stay fresh. */
const JTI_MEMORY_MS = 15 * 60_000;

/**
 * The sandbox's memory of idempotency keys: the first answer under a key is kept and replayed for
 * every later request with the same key and the same payload (a 500 and a hang included, as Stripe
 * replays a saved 500; a hang until its hold ends, then the answer it settled on). Payloads are
 * compared by HMAC under a key that lives only in this process, so no card data is kept, hashed or
 * otherwise. Oldest keys are forgotten beyond `maxKeys`. It also remembers which key each payload id
 * (`jti`) came under, for 15 minutes.
 */
export class IdempotencyStore {
  readonly #entries = new Map<string, Entry>();
  readonly #jtis = new Map<string, { readonly key: string; readonly at: number }>();
  readonly #secret = randomBytes(32);
  readonly #maxKeys: number;

  constructor(options: { maxKeys?: number } = {}) {
    this.#maxKeys = options.maxKeys ?? 10_000;
  }

  fingerprint(canonicalPayload: string): string {
    return createHmac('sha256', this.#secret).update(canonicalPayload).digest('base64url');
  }

  /** Looks a request up and counts it. */
  lookup(key: string, fingerprint: string, now: number): Lookup {
    const entry = this.#entries.get(key);
    if (!entry) return { kind: 'new' };
    entry.requests += 1;
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    return { kind: 'replay', settled: settle(entry, now) };
  }

  /** What became of the request under `key` (the lookup endpoint); undefined: none is known. */
  find(key: string, now: number): Settled | undefined {
    const entry = this.#entries.get(key);
    return entry && settle(entry, now);
  }

  /** Remembers the first answer under `key`, counting one charge and one request. */
  record(
    key: string,
    fingerprint: string,
    answer: SandboxAnswer,
    options: { now: number; holdMs: number; paymentId: string },
  ): void {
    const heldUntil = answer.kind === 'hang' ? options.now + options.holdMs : 0;
    const { paymentId } = options;
    this.#entries.set(key, { paymentId, fingerprint, answer, heldUntil, charges: 1, requests: 1 });
    while (this.#entries.size > this.#maxKeys) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  /** The key a payload id was first seen under, if it was seen in the last 15 minutes. */
  keyOfJti(jti: string, now: number): string | undefined {
    this.#forgetJtisBefore(now - JTI_MEMORY_MS);
    return this.#jtis.get(jti)?.key;
  }

  rememberJti(jti: string, key: string, now: number): void {
    if (!this.#jtis.has(jti)) this.#jtis.set(jti, { key, at: now });
  }

  counts(now: number): Record<string, ChargeCount> {
    return Object.fromEntries(
      [...this.#entries].map(([key, entry]) => {
        const settled = settle(entry, now);
        return [
          key,
          {
            paymentId: entry.paymentId,
            charges: entry.charges,
            requests: entry.requests,
            outcome: settled.kind === 'held' ? 'pending' : settled.reply.outcome,
          },
        ];
      }),
    );
  }

  #forgetJtisBefore(cutoff: number): void {
    for (const [jti, seen] of this.#jtis) {
      if (seen.at >= cutoff && this.#jtis.size <= this.#maxKeys) break;
      this.#jtis.delete(jti);
    }
  }
}

function settle(entry: Entry, now: number): Settled {
  if (entry.answer.kind === 'reply') return { kind: 'answered', reply: entry.answer };
  if (now < entry.heldUntil) return { kind: 'held', remainingMs: entry.heldUntil - now };
  return { kind: 'answered', reply: entry.answer.settles };
}
