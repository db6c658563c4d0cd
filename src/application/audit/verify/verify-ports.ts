/**
 * The ports offline verification owns, which adapters supply: a hash (node:crypto) and a signature
 * check against the public keys the auditor holds (the keyring). The check itself does no I/O.
 */

/** SHA-256 (hex) of a text. */
export type HashText = (text: string) => string;

/** `outside-window`: the key is known, but a pinned keyring says it could not sign at that time. */
export type SignatureCheck = 'ok' | 'bad' | 'unknown-key' | 'outside-window';

/**
 * Checks `signature` over `input` with the key `kid`; `unknown-key` when that key was not given.
 * With `at` (the signed record's time), also that the key's validity window holds that time.
 */
export type VerifySignature = (kid: string, input: string, signature: string, at?: string) => SignatureCheck;
