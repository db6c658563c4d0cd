import type { ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../logger.js';
import { readChargeAmount } from './charge-amount.js';
import type { DecryptionKeyring } from './decryption-keyring.js';
import { IdempotencyStore, type Settled } from './idempotency-store.js';
import { bindingRefusal, canonicalRequest } from './request-binding.js';
import { chargeCard, last4Of } from './test-cards.js';
import { type CardPayload, cardPayloadSchema, PROTOCOL } from './wire-format.js';

export interface SandboxAppOptions {
  readonly keyring: DecryptionKeyring;
  readonly logger: Logger;
  /** How long a "no answer" card holds its response before the socket is closed. */
  readonly hangMs: number;
  /** Wall clock, epoch ms (expiry checks). */
  readonly now?: () => number;
}

export interface SandboxApp {
  readonly app: express.Express;
  readonly store: IdempotencyStore;
  /** Closes every response still held by a "no answer" card. */
  releaseHeld(): void;
}

/** Idempotency keys: printable ASCII, and nothing that looks like a card number. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const PAN_LIKE = /\d{13,}/;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

type SandboxErrorCode =
  | 'missing_idempotency_key'
  | 'unsupported_media_type'
  | 'unknown_kid'
  | 'invalid_jwe'
  | 'invalid_payload'
  | 'invalid_amount'
  | 'idempotency_key_reused'
  | 'idempotency_key_mismatch'
  | 'stale_request'
  | 'jti_reused'
  | 'no_such_request'
  | 'request_failed'
  | 'client_certificate_required'
  | 'forbidden'
  | 'not_found'
  | 'internal';

function refuse(res: Response, status: number, code: SandboxErrorCode): void {
  const type =
    status >= 500
      ? 'api_error'
      : code === 'idempotency_key_reused'
        ? 'idempotency_error'
        : 'invalid_request_error';
  res.status(status).json({ error: { type, code } });
}

function parsePayload(plaintext: Uint8Array): CardPayload | undefined {
  try {
    const parsed = cardPayloadSchema.safeParse(JSON.parse(new TextDecoder().decode(plaintext)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // JSON.parse quotes its input in the message: never kept
  } finally {
    plaintext.fill(0);
  }
}

const validKey = (key: string | undefined): key is string =>
  key !== undefined && IDEMPOTENCY_KEY.test(key) && !PAN_LIKE.test(key);

/**
 * The sandbox processor's HTTP surface (served over mutual TLS by sandbox-server.ts):
 *   POST /v1/tokens         a JWE card payload → token / decline / error, idempotent on Idempotency-Key
 *   GET  /v1/tokens/{key}   lookup: what became of the request under a key (no card data)
 *   GET  /_sandbox/charges  loopback only: charges and requests per idempotency key, for tests
 * Logs carry the last four digits of a card at most.
 */
export function createSandboxApp(options: SandboxAppOptions): SandboxApp {
  const store = new IdempotencyStore();
  const held = new Set<ServerResponse>();
  const now = options.now ?? Date.now;
  const logger = options.logger.child({ component: 'sandbox' });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.socket as TLSSocket).authorized !== true) return refuse(res, 401, 'client_certificate_required');
    next();
  });

  const hold = (res: Response, ms: number) => {
    const timer = setTimeout(() => res.destroy(), ms);
    held.add(res);
    res.on('close', () => {
      clearTimeout(timer);
      held.delete(res);
    });
  };

  const answer = (res: Response, settled: Settled, replayed: boolean) => {
    if (settled.kind === 'held') return hold(res, settled.remainingMs);
    if (replayed) res.set('idempotent-replayed', 'true');
    res.status(settled.reply.status).json(settled.reply.body);
  };

  app.post('/v1/tokens', express.text({ type: PROTOCOL.mediaType, limit: '32kb' }), async (req, res) => {
    const key = req.get('idempotency-key');
    if (!validKey(key)) return refuse(res, 400, 'missing_idempotency_key');
    if (typeof req.body !== 'string' || req.body.length === 0)
      return refuse(res, 415, 'unsupported_media_type');
    const decrypted = await options.keyring.decrypt(req.body.trim());
    if (!decrypted.ok) {
      logger.warn({ idempotencyKey: key, reason: decrypted.code }, 'payload refused');
      return refuse(res, 400, decrypted.code);
    }
    const payload = parsePayload(decrypted.plaintext);
    if (payload === undefined) return refuse(res, 400, 'invalid_payload');
    const at = now();
    const context = {
      idempotencyKey: key,
      paymentId: payload.paymentId,
      kid: decrypted.keyId,
      last4: last4Of(payload),
    };
    const unbound = bindingRefusal(payload, key, at, store);
    if (unbound !== undefined) {
      logger.warn({ ...context, reason: unbound }, 'payload refused for its request');
      return refuse(res, 400, unbound);
    }
    if (readChargeAmount(payload).kind === 'invalid') return refuse(res, 400, 'invalid_amount');

    const fingerprint = store.fingerprint(canonicalRequest(payload));
    const lookup = store.lookup(key, fingerprint, at);
    if (lookup.kind === 'mismatch') {
      logger.warn(context, 'idempotency key reused with another payload');
      return refuse(res, 422, 'idempotency_key_reused');
    }
    store.rememberJti(payload.jti, key, at);
    const replayed = lookup.kind === 'replay';
    let settled: Settled;
    if (lookup.kind === 'replay') settled = lookup.settled;
    else {
      const reply = chargeCard(payload, at);
      store.record(key, fingerprint, reply, {
        now: at,
        holdMs: options.hangMs,
        paymentId: payload.paymentId,
      });
      settled =
        reply.kind === 'hang' ? { kind: 'held', remainingMs: options.hangMs } : { kind: 'answered', reply };
    }
    logger.info(
      {
        ...context,
        replayed,
        ...(settled.kind === 'held'
          ? { outcome: 'no-answer' }
          : { outcome: settled.reply.outcome, status: settled.reply.status }),
      },
      'tokenise',
    );
    answer(res, settled, replayed);
  });

  // Spec 7: a lookup never charges and never changes what is stored under the key.
  app.get('/v1/tokens/:key', (req, res) => {
    const { key } = req.params;
    if (!validKey(key)) return refuse(res, 400, 'missing_idempotency_key');
    const settled = store.find(key, now());
    const found =
      settled === undefined ? 'nothing' : settled.kind === 'held' ? 'pending' : settled.reply.outcome;
    logger.info({ idempotencyKey: key, found }, 'lookup');
    if (settled === undefined) return refuse(res, 404, 'no_such_request');
    if (settled.kind === 'held') return res.status(202).json({ status: 'processing' });
    if (settled.reply.outcome === 'error') return refuse(res, 410, 'request_failed');
    res.status(settled.reply.status).json(settled.reply.body);
  });

  app.get('/_sandbox/charges', (req, res) => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return refuse(res, 403, 'forbidden');
    res.json({ keys: store.counts(now()) });
  });

  app.use((_req: Request, res: Response) => refuse(res, 404, 'not_found'));

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return refuse(res, status, status === 415 ? 'unsupported_media_type' : 'invalid_payload');
    }
    logger.error({ err: error }, 'sandbox request failed');
    refuse(res, 500, 'internal');
  });

  return {
    app,
    store,
    releaseHeld: () => {
      for (const res of held) res.destroy();
    },
  };
}
