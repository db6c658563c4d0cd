/**
 * An integration key as the gateway knows it: a name, the digest of the key (never the key), what it
 * may do and until when.
 */
export interface IntegrationKeyDigest {
  readonly name: string;
  /** Lower-case hex SHA-256 of the key; the key itself is never kept. */
  readonly sha256: string;
  /** `payments:write`, `payments:read`, `calls:read`, `calls:write`, `audit:read` (application/access/principal.ts). */
  readonly scopes: readonly string[];
  /** Epoch ms after which the key is refused; undefined only for the development key. */
  readonly expiresAt?: number;
}
