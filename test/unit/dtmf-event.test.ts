import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDtmfDatagram } from '../../src/adapters/rtpengine/dtmf-event.js';

const datagram = (fields: Record<string, unknown>) =>
  Buffer.from(
    JSON.stringify({
      callid: 'abc@127.0.0.1',
      source_tag: 'customer-tag',
      tags: ['customer-tag', 'agent-tag'],
      type: 'DTMF',
      timestamp: 1_764_000_000.5,
      source_ip: '127.0.0.1',
      event: 4,
      duration: 100,
      volume: 10,
      ...fields,
    }),
  );

describe('parseDtmfDatagram', () => {
  it.each([
    [0, '0'],
    [9, '9'],
    [10, '*'],
    [11, '#'],
    [12, 'A'],
    [15, 'D'],
  ])('maps event %i to key %s', (event, key) => {
    expect(parseDtmfDatagram(datagram({ event }))).toEqual({
      sipCallId: 'abc@127.0.0.1',
      sourceTag: 'customer-tag',
      key,
      durationMs: 100,
    });
  });

  it.each([
    ['not JSON', Buffer.from('{"callid":')],
    ['event out of range', datagram({ event: 16 })],
    ['negative event', datagram({ event: -1 })],
    ['fractional event', datagram({ event: 1.5 })],
    ['event as string', datagram({ event: '4' })],
    ['missing callid', datagram({ callid: undefined })],
    ['wrong type', datagram({ type: 'RTP' })],
    ['empty source tag', datagram({ source_tag: '' })],
    ['a JSON array', Buffer.from('[1,2,3]')],
    ['too large', Buffer.alloc(5000, 0x20)],
  ])('rejects %s with GW_ERR_DTMF_MALFORMED', (_name, bytes) => {
    expect(() => parseDtmfDatagram(bytes)).toThrow(
      expect.objectContaining({ code: 'GW_ERR_DTMF_MALFORMED' }),
    );
  });

  it('never echoes the datagram content in its error', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 5, maxLength: 40 }),
        fc.integer({ min: 16, max: 99999 }),
        (callid, event) => {
          const marker = `7${event}${event}`;
          try {
            parseDtmfDatagram(datagram({ callid: `${callid}${marker}`, event }));
          } catch (error) {
            return (
              !(error as Error).message.includes(marker) && !(error as Error).message.includes(String(event))
            );
          }
          return false;
        },
      ),
    );
  });
});
