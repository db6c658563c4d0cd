import { z } from 'zod';
import { GatewayError } from '../../errors.js';
import type { CallAnsweredEvent } from './call-event.js';

/** Kamailio's dialog states for an answered call: 3 = confirmed, ACK not yet seen; 4 = confirmed. */
const ANSWERED_STATES: ReadonlySet<number> = new Set([3, 4]);

const dialogSchema = z.looseObject({
  'call-id': z.string().min(1).max(512),
  state: z.number().int(),
  start_ts: z.number().optional(),
  caller: z.looseObject({ tag: z.string() }),
  callee: z.looseObject({ tag: z.string() }),
  // kamailio prints dialog variables as a list of one-entry objects
  variables: z
    .union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())])
    .optional(),
});

const dialogListSchema = z.array(z.unknown());

function flattenVariables(variables: z.infer<typeof dialogSchema>['variables']): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Array.isArray(variables) ? variables : variables ? [variables] : [];
  for (const entry of entries) {
    for (const [name, value] of Object.entries(entry)) {
      if (typeof value === 'string') out[name] = value;
    }
  }
  return out;
}

export interface DialogListResult {
  calls: CallAnsweredEvent[];
  /** Dialogs that could not be read as tonewall calls (not confirmed, or without the dlg vars). */
  skipped: number;
}

/**
 * Turns the result of JSON-RPC `dlg.list` into the same shape as evapi's call-answered events,
 * from the dialog variables kamailio.cfg sets at answer.
 */
export function callsFromDialogList(result: unknown): DialogListResult {
  const list = dialogListSchema.safeParse(result ?? []);
  if (!list.success) {
    throw new GatewayError('GW_ERR_KAMAILIO_RPC', 'dlg.list result is not a list');
  }
  const calls: CallAnsweredEvent[] = [];
  let skipped = 0;
  for (const raw of list.data) {
    const dialog = dialogSchema.safeParse(raw);
    if (!dialog.success || !ANSWERED_STATES.has(dialog.data.state)) {
      skipped += 1;
      continue;
    }
    const vars = flattenVariables(dialog.data.variables);
    const direction = vars.direction;
    const customerTag = vars.customer_tag;
    const agentTag = vars.agent_tag;
    if ((direction !== 'inbound' && direction !== 'outbound') || !customerTag || !agentTag) {
      skipped += 1;
      continue;
    }
    const answeredAt = Number(vars.answered_at ?? dialog.data.start_ts ?? 0);
    calls.push({
      event: 'call-answered',
      callId: dialog.data['call-id'],
      fromTag: dialog.data.caller.tag,
      toTag: dialog.data.callee.tag,
      customerTag,
      agentTag,
      direction,
      caller: vars.caller ?? '',
      callee: vars.callee ?? '',
      agent: vars.agent ?? '',
      // before its agent (TONEWALL_MASKING_FROM=agent) a call is unmasked on purpose
      masking: vars.masking === 'off' || vars.phase === 'ivr' ? 'off' : 'on',
      phase: vars.phase === 'ivr' ? 'ivr' : 'agent',
      ts: Number.isFinite(answeredAt) ? answeredAt : 0,
      ...(vars.media_node ? { mediaNode: vars.media_node } : {}),
    });
  }
  return { calls, skipped };
}
