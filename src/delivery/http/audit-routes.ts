import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../application/clock.js';
import { GatewayError } from '../../errors.js';
import { principalNameOf, type RecordAction } from './audit-actions.js';
import { requireRole } from './authorize.js';

/** Builds the auditor's HTML report for [from, to) (the audit trail's `buildAuditReport`). */
export type AuditReportSource = (range: { from: Date; to: Date }) => Promise<string>;

const DAY_MS = 86_400_000;
const rangeSchema = z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() }).strict();

/**
 * `GET /v1/audit/report?from=YYYY-MM-DD&to=YYYY-MM-DD` (default: the last 30 days): auditors and
 * admins (and integration keys) read the self-contained HTML report. Reading it is itself recorded.
 */
export function auditRoutes(
  clock: Clock,
  report: AuditReportSource | undefined,
  recordAction?: RecordAction,
): Router {
  const router = Router();
  router.get('/v1/audit/report', async (request, response) => {
    requireRole(response, 'audit:read', 'auditor', 'admin');
    if (!report) throw new GatewayError('GW_ERR_NOT_FOUND', 'no audit report is configured');
    const query = rangeSchema.safeParse(request.query);
    if (!query.success) {
      throw new GatewayError('GW_ERR_INVALID_BODY', '"from" and "to" must be dates (YYYY-MM-DD)');
    }
    const to = query.data.to ? new Date(`${query.data.to}T00:00:00Z`) : new Date(clock.now() + DAY_MS);
    const from = query.data.from
      ? new Date(`${query.data.from}T00:00:00Z`)
      : new Date(to.getTime() - 30 * DAY_MS);
    if (from >= to) throw new GatewayError('GW_ERR_INVALID_BODY', '"from" must be before "to"');
    const html = await report({ from, to });
    await recordAction?.({
      principal: principalNameOf(response),
      action: 'audit-report.read',
      outcome: 'allowed',
    });
    response
      .type('text/html; charset=utf-8')
      // the report is self-contained: inline styles and SVG, no script, nothing fetched
      .setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
      .send(html);
  });
  return router;
}
