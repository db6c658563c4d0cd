import { pino } from 'pino';
import { NgClient } from '../../src/adapters/rtpengine/ng-client.js';
import { systemClock } from '../../src/application/clock.js';

/** The edge rtpengine's NG port in the suite's stack (the mask hop 2225, the mute hop 2227). */
export const EDGE_NG_PORT = 2223;

/** An NG client to one of the suite's rtpengines on 127.0.0.1 (1 s a try, one retry, no log). */
export function openTestNg(port = EDGE_NG_PORT): Promise<NgClient> {
  return NgClient.open({
    host: '127.0.0.1',
    port,
    timeoutMs: 1000,
    retries: 1,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
  });
}

/** The mute hop's NG port (the hop facing the PBX). */
export const MUTE_NG_PORT = 2227;

/** The transport protocol of every media of the call at the rtpengine on NG `port` (NG `query`). */
export async function mediaProtocols(sipCallId: string, port = EDGE_NG_PORT): Promise<string[]> {
  const ng = await openTestNg(port);
  try {
    const reply = (await ng.request({ command: 'query', 'call-id': sipCallId })) as {
      tags?: Record<string, { medias?: Array<{ protocol?: string }> }>;
    };
    return Object.values(reply.tags ?? {}).flatMap((tag) =>
      (tag.medias ?? []).map((media) => media.protocol ?? '?'),
    );
  } finally {
    await ng.close();
  }
}
