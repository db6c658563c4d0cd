import { z } from 'zod';
import { parseJsonInput } from '../parse-json-input.js';

const token = z.string().min(1).max(512);
const user = z.string().max(256);
/** `udp:HOST:PORT` as Kamailio's rtpengine module names a node (IPv6 in brackets). */
const MEDIA_NODE = /^[A-Za-z0-9:.[\]-]{1,128}$/;

/** What kamailio.cfg sends over evapi, one JSON object per netstring (sip-config/kamailio.cfg). */
const callEventSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('call-answered'),
    callId: token,
    fromTag: token,
    toTag: token,
    customerTag: token,
    agentTag: token,
    direction: z.enum(['inbound', 'outbound']),
    caller: user,
    callee: user,
    agent: user,
    masking: z.enum(['on', 'off']),
    phase: z.enum(['ivr', 'agent']).optional(),
    ts: z.number().nonnegative(),
    // the rtpengine node of the call's chain ($dlg_var(media_node)); absent from an older kamailio.cfg;
    // one that is not a node address is left out (the call is kept: a single box needs no node)
    mediaNode: z.string().regex(MEDIA_NODE).optional().catch(undefined),
  }),
  // TONEWALL_MASKING_FROM=agent: the PBX named the call's agent (a re-INVITE or UPDATE after the IVR,
  // or a transfer); masking applied by Kamailio at that moment
  z.object({
    event: z.literal('call-agent'),
    callId: token,
    agent: user.min(1),
    masking: z.enum(['on', 'off']),
    via: z.enum(['sip', 'api']).optional(),
    ts: z.number().nonnegative(),
  }),
  z.object({
    event: z.literal('call-ended'),
    callId: token,
    reason: z.string().max(64),
    ts: z.number().nonnegative(),
  }),
]);

export type CallEvent = z.infer<typeof callEventSchema>;
export type CallAnsweredEvent = Extract<CallEvent, { event: 'call-answered' }>;

export function parseCallEvent(payload: string): CallEvent {
  return parseJsonInput(payload, callEventSchema, 'GW_ERR_SIP_EVENT_MALFORMED', 'call event');
}
