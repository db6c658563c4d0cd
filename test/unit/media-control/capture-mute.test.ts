import { describe, expect, it } from 'vitest';
import { RtpengineCaptureMute } from '../../../src/adapters/rtpengine/capture-mute.js';
import type { NgClient } from '../../../src/adapters/rtpengine/ng-client.js';
import type { Call } from '../../../src/application/calls/call-registry.js';
import { GatewayError } from '../../../src/errors.js';

const call = { sipCallId: 'sip-1', customerTag: 'tag-c' } as Call;

function mute(reply: (command: string) => void) {
  const sent: unknown[] = [];
  const ng = {
    request: async (message: { command: string }) => {
      sent.push(message);
      reply(message.command);
      return { result: 'ok' };
    },
  } as unknown as NgClient;
  return { port: new RtpengineCaptureMute({ ng }), sent };
}

describe('RtpengineCaptureMute', () => {
  it("blocks and unblocks the customer's media by call id and tag", async () => {
    const { port, sent } = mute(() => {});
    await port.enter(call);
    await port.leave(call);
    expect(sent).toEqual([
      { command: 'block media', 'call-id': 'sip-1', 'from-tag': 'tag-c' },
      { command: 'unblock media', 'call-id': 'sip-1', 'from-tag': 'tag-c' },
    ]);
  });

  it('a call rtpengine no longer holds needs no unmute; any other failure is GW_ERR_MASKING', async () => {
    const unknown = mute(() => {
      throw new GatewayError('GW_ERR_NG_ERROR', 'NG "unblock media" failed: Unknown call-ID');
    });
    await expect(unknown.port.leave(call)).resolves.toBeUndefined();
    await expect(unknown.port.enter(call)).rejects.toMatchObject({ code: 'GW_ERR_MASKING' });
    const timeout = mute(() => {
      throw new GatewayError('GW_ERR_NG_TIMEOUT', 'NG "unblock media" timed out');
    });
    await expect(timeout.port.leave(call)).rejects.toMatchObject({ code: 'GW_ERR_MASKING' });
  });
});
