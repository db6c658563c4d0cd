/** What the Redis bridge (redis-bridge.ts) and its worker (redis-bridge-worker.ts) say to each other. */

/** One command as Redis takes it: its name and arguments, all strings. */
export type RedisCommand = readonly string[];

/** A RESP2 reply: a bulk or simple string, an integer, nil, or an array of these. */
export type RedisReply = string | number | null | RedisReply[];

export interface BridgeStart {
  /** redis://, rediss:// or unix:///path. */
  readonly url: string;
  /** Int32Array[1] over it: a counter the worker bumps after each answer to a blocking request. */
  readonly signal: SharedArrayBuffer;
  readonly connectTimeoutMs: number;
}

export interface BridgeRequest {
  readonly id: number;
  readonly commands: readonly RedisCommand[];
  /** One MULTI/EXEC: all or none. Otherwise one pipeline, in order. */
  readonly atomic: boolean;
  /** `blocking`: answered on the blocking port, the counter bumped; `queued`: answered on the worker's port. */
  readonly mode: 'blocking' | 'queued';
}

export type BridgeAnswer =
  | { readonly id: number; readonly ok: true; readonly replies: RedisReply[] }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** The worker's messages on its own port besides queued answers. */
export type BridgeStatus = { readonly kind: 'ready' } | { readonly kind: 'failed'; readonly error: string };
