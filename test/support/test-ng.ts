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
