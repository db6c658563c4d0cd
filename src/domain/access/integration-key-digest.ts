/** An integration key as the gateway knows it: a name and the digest of the key, never the key. */
export interface IntegrationKeyDigest {
  readonly name: string;
  /** Lower-case hex SHA-256 of the key; the key itself is never kept. */
  readonly sha256: string;
}
