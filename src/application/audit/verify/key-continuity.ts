import type { AuditRecord } from '../../../domain/audit/audit-record.js';
import { rotationStatement } from '../../../domain/audit/key-rotation.js';
import { type AuditLocation, describeLocation, type ReportProblem } from './audit-problems.js';
import type { VerifySignature } from './verify-ports.js';

/**
 * Follows the signing key from record to record (of those whose signatures verified): a change of
 * key must be a `key.rotated` record that names the key in use before it and carries that key's
 * signature over the rotation (`data.endorsement`, domain/audit/key-rotation.ts); `key-change`
 * otherwise. So a log re-signed under a key the previous one never endorsed does not verify.
 */
export class KeyContinuity {
  readonly #report: ReportProblem;
  readonly #verify: VerifySignature;
  #kid: string | undefined;

  constructor(report: ReportProblem, verify: VerifySignature) {
    this.#report = report;
    this.#verify = verify;
  }

  check(record: AuditRecord, location: AuditLocation): void {
    const where = `record ${record.seq} (${describeLocation(location)})`;
    if (record.type === 'key.rotated') {
      const { previousKid, endorsement } = record.data;
      if (this.#kid !== undefined && previousKid !== this.#kid) {
        this.#report('key-change', location, record.seq, `${where} rotates from a key that was not in use`);
      } else if (
        typeof previousKid !== 'string' ||
        typeof endorsement !== 'string' ||
        this.#verify(previousKid, rotationStatement(previousKid, record.kid), endorsement, record.at) !== 'ok'
      ) {
        this.#report(
          'key-change',
          location,
          record.seq,
          `${where} is not cross-signed by the key it rotates from`,
        );
      }
    } else if (this.#kid !== undefined && record.kid !== this.#kid) {
      this.#report(
        'key-change',
        location,
        record.seq,
        `${where} changes the signing key without a key.rotated record`,
      );
    }
    this.#kid = record.kid;
  }
}
