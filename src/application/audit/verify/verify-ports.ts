/**
 * The ports offline verification owns, which adapters supply: a hash (node:crypto) and a signature
 * check against the public keys the auditor holds (the keyring). The check itself does no I/O.
 */

/** SHA-256 (hex) of a text. */
export type HashText = (text: string) => string;

export type SignatureCheck = 'ok' | 'bad' | 'unknown-key';

/** Checks `signature` over `input` with the key `kid`; `unknown-key` when that key was not given. */
export type VerifySignature = (kid: string, input: string, signature: string) => SignatureCheck;
