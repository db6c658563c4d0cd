import { z } from 'zod';
import type { KeyPress } from '../../application/media/key-press.js';
import { keyFromEventCode } from '../../domain/capture/keypad.js';
import { GatewayError } from '../../errors.js';
import { parseJsonInput } from '../parse-json-input.js';

/** Largest datagram accepted; rtpengine's DTMF reports are a few hundred bytes. */
export const MAX_DTMF_DATAGRAM_BYTES = 4096;

/** The JSON rtpengine sends to --dtmf-log-dest, one datagram per digit (see docs/media.md). */
const dtmfDatagramSchema = z.object({
  callid: z.string().min(1).max(512),
  source_tag: z.string().min(1).max(256),
  tags: z.array(z.string().max(256)).max(16).optional(),
  type: z.literal('DTMF'),
  timestamp: z.number().nonnegative().optional(),
  source_ip: z.string().max(64).optional(),
  event: z.number().int().min(0).max(15),
  duration: z.number().nonnegative().max(600_000).optional(),
  volume: z.number().optional(),
});

/** One key press, as the gateway routes it (the application's KeyPress). `key` is never logged. */
export type DtmfEvent = KeyPress;

/** Parses one datagram; throws GW_ERR_DTMF_MALFORMED (naming the field, not its content) when it is not a DTMF report. */
export function parseDtmfDatagram(datagram: Buffer): DtmfEvent {
  if (datagram.length > MAX_DTMF_DATAGRAM_BYTES) {
    throw new GatewayError('GW_ERR_DTMF_MALFORMED', 'DTMF datagram is larger than the limit');
  }
  const data = parseJsonInput(
    datagram.toString('utf8'),
    dtmfDatagramSchema,
    'GW_ERR_DTMF_MALFORMED',
    'DTMF datagram',
  );
  const key = keyFromEventCode(data.event);
  if (key === undefined) {
    throw new GatewayError('GW_ERR_DTMF_MALFORMED', 'DTMF datagram has invalid field(s): event');
  }
  return {
    sipCallId: data.callid,
    sourceTag: data.source_tag,
    key,
    durationMs: data.duration,
  };
}
