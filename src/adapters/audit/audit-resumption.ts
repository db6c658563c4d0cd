import type { AuditData, AuditRecord } from '../../domain/audit/audit-record.js';

/**
 * What was found of an earlier log in the directory (resumeAuditLog reads it; AuditFileStore.start
 * continues from it): its last record, which the chain continues from, and the facts the
 * `log.opened` record carries.
 */
export interface AuditResumption {
  readonly last: AuditRecord | undefined;
  readonly data: AuditData;
}
