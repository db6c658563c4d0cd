/**
 * Resource ids (`PK…` payments, `CA…` calls) are 32 hex characters. About one random id in 25 holds
 * 13 or more decimal digits in a row, which is what card-number guards look for: the sandbox
 * processor refused such a payment's idempotency key (`<id>:tokenise`) as PAN-like, and PAN scans of
 * logs would flag it. Such candidates are never issued.
 */
export const PAN_LIKE_RUN = /\d{13,}/;

/**
 * The first candidate (attempt 0, 1, …) without a PAN-like run of digits. Deterministic candidates
 * (a hash) give a deterministic id; an id that was fine before keeps its value (attempt 0).
 */
export function idWithoutPanLikeRun(candidate: (attempt: number) => string): string {
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const id = candidate(attempt);
    if (!PAN_LIKE_RUN.test(id)) return id;
  }
  throw new Error('idWithoutPanLikeRun: every candidate held a PAN-like run of digits');
}
