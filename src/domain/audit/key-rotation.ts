/**
 * A signing-key rotation in the audit log is cross-signed: the key being retired signs this text,
 * naming itself and its successor, and the `key.rotated` record carries that signature
 * (`data.endorsement`). A verifier that trusts the old key can then trust the new one from that
 * record on; a log re-signed with a key of the operator's own choosing has no such endorsement.
 */
export function rotationStatement(previousKid: string, nextKid: string): string {
  return `tonewall audit key rotation\nfrom ${previousKid}\nto ${nextKid}`;
}
