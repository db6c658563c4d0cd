import type { PaymentStatusRecord } from './payment-status-store.js';

/**
 * A payment whose process is gone while it still captured or processed: failed / internal-error (the
 * digits went with the process) — or `unknown` for reconciliation when its charge was sent without an
 * answer (`inDoubt`). Undefined for a payment that had ended. The status stores apply it at open.
 */
export function endInterrupted(
  record: PaymentStatusRecord,
  context: { readonly at: string; readonly inDoubt: boolean },
): PaymentStatusRecord | undefined {
  if (record.status !== 'in-progress' && record.status !== 'processing') return undefined;
  const doubt = record.status === 'processing' && context.inDoubt;
  return {
    ...record,
    status: doubt ? 'unknown' : 'failed',
    capture: null,
    outcome: doubt ? 'unknown' : 'internal-error',
    updatedAt: context.at,
    interrupted: record.status === 'processing' ? 'processing' : 'capturing',
    sequence: (record.sequence ?? 0) + 1,
  };
}
