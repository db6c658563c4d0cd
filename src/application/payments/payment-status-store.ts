import type { AgentView } from '../../domain/capture/agent-view.js';
import type { ReconciledOutcome } from '../../domain/capture/capture-events.js';
import type { FieldStatus } from '../../domain/capture/capture-state.js';
import type { CaptureField, ErrorType, Outcome, PaymentStatus } from '../../domain/capture/capture-types.js';
import type { CardBrand } from '../../domain/card/card-brand.js';

/**
 * What outlives the process of a payment: its status as the agent saw it, without card data — no
 * digit, no mask, no last four, no expiry, no token. Enough to answer "how did it end?" after a
 * restart (GET /v1/payments/{id}).
 */
export interface PaymentStatusRecord {
  readonly id: string;
  readonly callId: string;
  /** The call's agent, for the same authorisation as before the restart. */
  readonly agent: string;
  readonly status: PaymentStatus;
  readonly capture: CaptureField | null;
  readonly required: readonly CaptureField[];
  readonly fields: Readonly<
    Partial<
      Record<
        CaptureField,
        {
          readonly state: FieldStatus;
          readonly digits: number;
          readonly brand?: CardBrand;
          readonly valid?: boolean;
        }
      >
    >
  >;
  readonly errorType?: ErrorType;
  readonly outcome?: Outcome;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Set when a restart found the payment unfinished and ended it as internal-error. */
  readonly interrupted?: 'capturing' | 'processing';
  /** Where its status callbacks go (the create body's statusCallback): a change after a restart goes there too. */
  readonly statusCallback?: string;
  /** The sequence number of its last change (PaymentUpdate.sequence); a change after a restart takes the next. */
  readonly sequence?: number;
}

/**
 * Where payment statuses are kept across restarts. One node: a JSON-lines file in the run folder
 * (adapters/payment-status/jsonl-payment-status-store.ts); several nodes: a shared store (Redis)
 * behind the same three calls. Never card data.
 */
export interface PaymentStatusStore {
  /** Keeps the latest status of a payment; durable shortly after (see flush). */
  save(record: PaymentStatusRecord): void;
  get(paymentId: string): PaymentStatusRecord | undefined;
  /** Resolves once every record saved so far is durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The record of an agent view: states and counts only. */
export function toStatusRecord(
  view: AgentView,
  context: { agent: string; startedAt: string; updatedAt: string; sequence: number; statusCallback?: string },
): PaymentStatusRecord {
  const fields: Record<string, PaymentStatusRecord['fields'][CaptureField]> = {};
  for (const [name, field] of Object.entries(view.fields)) {
    fields[name] = {
      state: field.state,
      digits: field.digits,
      ...(field.brand === undefined ? {} : { brand: field.brand }),
      ...(field.valid === undefined ? {} : { valid: field.valid }),
    };
  }
  return {
    id: view.id,
    callId: view.callId,
    agent: context.agent,
    status: view.status,
    capture: view.capture,
    required: [...view.required],
    fields,
    ...(view.errorType === undefined ? {} : { errorType: view.errorType }),
    ...(view.result === undefined ? {} : { outcome: view.result.outcome }),
    startedAt: context.startedAt,
    updatedAt: context.updatedAt,
    sequence: context.sequence,
    ...(context.statusCallback === undefined ? {} : { statusCallback: context.statusCallback }),
  };
}

/** Settles an earlier run's `unknown` payment in the store: its new record, undefined when it is not (or no longer) unknown. */
export function reconcileStored(
  store: PaymentStatusStore,
  paymentId: string,
  result: ReconciledOutcome,
  at: string,
): PaymentStatusRecord | undefined {
  const record = store.get(paymentId);
  if (record?.status !== 'unknown') return undefined;
  const settled = { ...reconciledRecord(record, result, at), sequence: (record.sequence ?? 0) + 1 };
  store.save(settled);
  return settled;
}

/** The stored status of an earlier run's payment once reconciliation settled its unknown charge. */
function reconciledRecord(
  record: PaymentStatusRecord,
  result: ReconciledOutcome,
  updatedAt: string,
): PaymentStatusRecord {
  const { errorType: _dropped, ...rest } = record;
  if (result.outcome === 'success') return { ...rest, status: 'succeeded', outcome: 'success', updatedAt };
  if (result.outcome === 'declined') return { ...rest, status: 'failed', outcome: 'declined', updatedAt };
  return {
    ...rest,
    status: 'failed',
    outcome: 'payment-connector-error',
    errorType: 'payment-connector-error',
    updatedAt,
  };
}

/** A payment known only from the store: the agent view's shape, a mask of stars, the outcome alone. */
export interface RecordedPaymentView extends Omit<AgentView, 'result' | 'fields'> {
  readonly fields: Readonly<
    Partial<Record<CaptureField, PaymentStatusRecord['fields'][CaptureField] & { readonly masked: string }>>
  >;
  readonly result?: { readonly outcome: Outcome };
  readonly interrupted?: 'capturing' | 'processing';
}

export function recordedView(record: PaymentStatusRecord): RecordedPaymentView {
  const fields: Record<string, PaymentStatusRecord['fields'][CaptureField] & { masked: string }> = {};
  for (const [name, field] of Object.entries(record.fields)) {
    if (field) fields[name] = { ...field, masked: '*'.repeat(field.digits) };
  }
  return {
    id: record.id,
    callId: record.callId,
    status: record.status,
    capture: record.capture,
    required: record.required,
    fields,
    ...(record.errorType === undefined ? {} : { errorType: record.errorType }),
    ...(record.outcome === undefined ? {} : { result: { outcome: record.outcome } }),
    ...(record.interrupted === undefined ? {} : { interrupted: record.interrupted }),
  };
}
