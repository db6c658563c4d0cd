import { Router } from 'express';
import { GatewayError } from '../../errors.js';
import { requireRole } from './authorize.js';

/** Builds the audit report (the audit trail's `buildAuditReport`), or undefined while none is wired. */
export type AuditReportSource = () => Promise<string>;

/** `GET /v1/audit/report`: auditors and admins (and integration keys) download the audit report. */
export function auditRoutes(report: AuditReportSource | undefined): Router {
  const router = Router();
  router.get('/v1/audit/report', async (_request, response) => {
    requireRole(response, 'auditor', 'admin');
    if (!report) throw new GatewayError('GW_ERR_NOT_FOUND', 'no audit report is configured');
    const text = await report();
    const json = text.trimStart().startsWith('{');
    response
      .type(json ? 'application/json' : 'text/plain')
      .attachment(json ? 'tonewall-audit-report.json' : 'tonewall-audit-report.txt')
      .send(text);
  });
  return router;
}
