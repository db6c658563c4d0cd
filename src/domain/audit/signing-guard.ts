/**
 * What the audit signer (src/signer) will sign: only records that extend its own chain. It remembers
 * the last record the gateway confirmed was on disk (`durable`) and every record it signed after
 * that; a record is signed only when its `prev` is the hash of one of those and its `seq` the next
 * number. So a log cut back below what was confirmed (a rollback) cannot be continued, and a record
 * already confirmed cannot be signed again with other contents (a rewrite). Records signed but not
 * yet confirmed may be signed again (a crash between signing and writing): forks are allowed only
 * there. A head is signed only for the confirmed record. Pure: the signer process keeps the state in
 * a file of its own.
 */
import type { AuditChainHead } from './audit-record.js';

export interface SigningGuardState {
  /** The last record the gateway confirmed durable, or undefined before the first confirmation. */
  readonly durable: AuditChainHead | undefined;
  /** Records signed since, by sequence number: each hash signed at that number (forks possible). */
  readonly signed: ReadonlyMap<number, readonly string[]>;
}

export type GuardVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const EMPTY_GUARD: SigningGuardState = { durable: undefined, signed: new Map() };

/** Signed-but-unconfirmed records kept at most (the gateway confirms every group commit). */
export const MAX_UNCONFIRMED = 100_000;

const known = (state: SigningGuardState, seq: number, hash: string): boolean =>
  (state.durable?.seq === seq && state.durable.hash === hash) ||
  (state.signed.get(seq)?.includes(hash) ?? false);

/** May a record numbered `seq` whose `prev` is `prev` be signed? */
export function mayExtend(
  state: SigningGuardState,
  seq: number,
  prev: string,
  genesisHash: string,
): GuardVerdict {
  if (state.durable === undefined && state.signed.size === 0) {
    // the first record this signer sees: trusted on first use (its state file is then the anchor)
    return { ok: true };
  }
  if (seq === 0) {
    return prev === genesisHash && state.durable === undefined
      ? { ok: true }
      : { ok: false, reason: 'a new chain after records were confirmed' };
  }
  if (state.durable !== undefined && seq <= state.durable.seq) {
    return { ok: false, reason: `record ${seq} is at or below the confirmed record ${state.durable.seq}` };
  }
  return known(state, seq - 1, prev)
    ? { ok: true }
    : { ok: false, reason: `record ${seq} does not extend a record this signer signed` };
}

/** The state once a record (`seq`, the hash of the signed record) was signed. */
export function afterSigning(state: SigningGuardState, seq: number, hash: string): SigningGuardState {
  if (state.signed.size >= MAX_UNCONFIRMED) return state;
  const signed = new Map(state.signed);
  signed.set(seq, [...(signed.get(seq) ?? []), hash]);
  return { durable: state.durable, signed };
}

/**
 * The state once the gateway confirmed (`seq`, `hash`) is on disk: it must be a record this signer
 * signed since the last confirmation (or that one again); everything up to it is forgotten.
 */
export function afterConfirming(
  state: SigningGuardState,
  seq: number,
  hash: string,
): { state: SigningGuardState; verdict: GuardVerdict } {
  if (!known(state, seq, hash)) {
    return { state, verdict: { ok: false, reason: `record ${seq} was not signed by this signer` } };
  }
  const signed = new Map([...state.signed].filter(([n]) => n > seq));
  return { state: { durable: { seq, hash }, signed }, verdict: { ok: true } };
}

/** May the signed head name (`seq`, `hash`)? Only the confirmed record. */
export function mayHead(state: SigningGuardState, seq: number, hash: string): GuardVerdict {
  return state.durable?.seq === seq && state.durable.hash === hash
    ? { ok: true }
    : { ok: false, reason: `the head may name only the confirmed record` };
}
