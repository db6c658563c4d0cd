import { z } from 'zod';
import { ROLES } from '../../application/access/principal.js';
import type { SessionRecords, StoredSession } from '../../application/access/session-records.js';
import { SCOPES } from '../../domain/access/scopes.js';
import { GatewayError } from '../../errors.js';
import type { RedisBridge } from './redis-bridge.js';

const principalSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('integration'),
      name: z.string().max(256),
      scopes: z.array(z.enum(SCOPES)),
      expiresAt: z.number().int().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('user'),
      subject: z.string().max(256),
      displayName: z.string().max(256),
      roles: z.array(z.enum(ROLES)),
      agentId: z.string().max(256).optional(),
      maxAmount: z.string().max(32).optional(),
      source: z.enum(['local', 'idp']),
      expiresAt: z.number().int().optional(),
    })
    .strict(),
]);

const sessionSchema = z
  .object({
    principal: principalSchema,
    csrfToken: z.string().max(128),
    createdAt: z.number().int(),
    lastSeenAt: z.number().int(),
  })
  .strict();

/**
 * Sessions in Redis, shared by the gateways: `tw:session:<sha256 of the cookie>` holds the session's
 * JSON and expires when the session does (`PXAT`), renewed by each request the user makes. An agent
 * signed in through one gateway stays signed in through the other. Read strictly: a record of another
 * shape is refused (GW_ERR_STATE_STORE), never trusted.
 */
export class RedisSessionRecords implements SessionRecords {
  readonly #bridge: RedisBridge;

  constructor(bridge: RedisBridge) {
    this.#bridge = bridge;
  }

  get(key: string): StoredSession | undefined {
    const [value] = this.#bridge.call([['GET', keyOf(key)]]);
    if (value === null || value === undefined) return undefined;
    let parsed: ReturnType<typeof sessionSchema.safeParse> | undefined;
    try {
      parsed = typeof value === 'string' ? sessionSchema.safeParse(JSON.parse(value)) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success)
      throw new GatewayError('GW_ERR_STATE_STORE', 'a session in the state store is unreadable');
    return parsed.data as StoredSession;
  }

  put(key: string, session: StoredSession, expiresAt: number): void {
    const value = JSON.stringify({
      principal: session.principal,
      csrfToken: session.csrfToken,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
    });
    this.#bridge.call([['SET', keyOf(key), value, 'PXAT', String(Math.max(1, Math.floor(expiresAt)))]]);
  }

  delete(key: string): void {
    this.#bridge.call([['DEL', keyOf(key)]]);
  }
}

function keyOf(key: string): string {
  return `tw:session:${key}`;
}
