import type { AuditRecord } from '../../../domain/audit/audit-record.js';
import { type AuditLocation, describeLocation, type ReportProblem } from './audit-problems.js';

/**
 * Follows the signing key from record to record (of those whose signatures verified): a change of
 * key must be a `key.rotated` record that names the key in use before it (`key-change` otherwise).
 */
export class KeyContinuity {
  readonly #report: ReportProblem;
  #kid: string | undefined;

  constructor(report: ReportProblem) {
    this.#report = report;
  }

  check(record: AuditRecord, location: AuditLocation): void {
    const where = `record ${record.seq} (${describeLocation(location)})`;
    if (record.type === 'key.rotated') {
      if (this.#kid !== undefined && record.data.previousKid !== this.#kid) {
        this.#report('key-change', location, record.seq, `${where} rotates from a key that was not in use`);
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
