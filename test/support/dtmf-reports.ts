/**
 * rtpengine's DTMF reports read by a test or check that runs no gateway: the edge's
 * (`--dtmf-log-dest`, TONEWALL_DTMF_LOG_DEST) on 127.0.0.1:`port`, the mask hop's
 * (TONEWALL_MASK_DTMF_LOG_DEST, by default the port below) on `maskPort`. Kept in memory only.
 *
 * Once bound, each hop is probed as the gateway does at start (ReportPathProbe): rtpengine sends
 * reports on a connected socket, so a report it sent while nothing listened (between two test files,
 * a gateway killed by a test) makes it lose the next one, which would be this reader's first key.
 */

import { createSocket, type Socket } from 'node:dgram';
import { pino } from 'pino';
import { DtmfDuplicateFilter } from '../../src/adapters/rtpengine/dtmf-duplicate-filter.js';
import { NgClient } from '../../src/adapters/rtpengine/ng-client.js';
import {
  ReportPathProbe,
  type ReportPathResult,
  reportingHops,
} from '../../src/adapters/rtpengine/report-path-probe.js';
import { systemClock, systemTimers } from '../../src/application/clock.js';
import type { KeypadKey } from '../../src/domain/capture/keypad.js';

const EVENT_KEYS = '0123456789*#ABCD';

export interface DtmfReport {
  readonly hop: 'edge' | 'mask';
  readonly callid: string;
  readonly tag: string;
  readonly key: string;
  readonly at: number;
}

export interface DtmfReportPorts {
  /** Where the edge rtpengine reports. */
  readonly port: number;
  /** Where the mask hop reports; default `port − 1`. */
  readonly maskPort?: number;
  /** The two rtpengines' NG ports, for the probe calls. */
  readonly ngPort: number;
  readonly maskNgPort: number;
  /** The mask hop's delay buffer, as Kamailio blocks it. Default 50. */
  readonly maskDelayBufferMs?: number;
  /** The edge's delay buffer for telephone-event customers, as Kamailio blocks it. Default 10. */
  readonly edgeDelayBufferMs?: number;
  /** false: no probe (only test/integration/report-path.test.ts, to show the loss it prevents). */
  readonly probe?: boolean;
}

export async function openDtmfReports(ports: DtmfReportPorts) {
  const reports: DtmfReport[] = [];
  const logger = pino({ level: 'silent' });
  const edgeNg = await NgClient.open({
    host: '127.0.0.1',
    port: ports.ngPort,
    timeoutMs: 1000,
    retries: 1,
    clock: systemClock,
    logger,
  });
  const maskNg = await NgClient.open({
    host: '127.0.0.1',
    port: ports.maskNgPort,
    timeoutMs: 1000,
    retries: 1,
    clock: systemClock,
    logger,
  });
  const hops = reportingHops({
    edge: edgeNg,
    mask: maskNg,
    edgeDelayBufferMs: ports.edgeDelayBufferMs ?? 10,
    maskDelayBufferMs: ports.maskDelayBufferMs ?? 50,
  });
  const probe = new ReportPathProbe({ hops, timers: systemTimers, logger });
  const sockets: Socket[] = [];
  const probed: ReportPathResult[] = [];
  const close = async () => {
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    await edgeNg.close();
    await maskNg.close();
  };
  const bind = async (hop: DtmfReport['hop'], port: number) => {
    const socket = createSocket('udp4');
    socket.on('message', (message) => {
      try {
        const parsed = JSON.parse(message.toString('utf8')) as Record<string, unknown>;
        if (
          typeof parsed.callid === 'string' &&
          typeof parsed.source_tag === 'string' &&
          typeof parsed.event === 'number' &&
          !probe.claims(parsed.callid)
        ) {
          reports.push({
            hop,
            callid: parsed.callid,
            tag: parsed.source_tag,
            key: EVENT_KEYS[parsed.event] ?? '?',
            at: Date.now(),
          });
        }
      } catch {
        // not JSON: not a report
      }
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (error) =>
        reject(
          new Error(`cannot read rtpengine's DTMF reports on 127.0.0.1:${port} (${hop}): ${error.message}`),
        ),
      );
      socket.bind(port, '127.0.0.1', () => resolve());
    });
    sockets.push(socket);
  };
  try {
    await bind('edge', ports.port);
    await bind('mask', ports.maskPort ?? ports.port - 1);
    if (ports.probe !== false) for (const hop of hops) probed.push(await probe.run(hop));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    reports,
    /** What each hop's probe found (keysSent 2: it shed a report rtpengine had lost). */
    probed,
    /** The keys reported for one party of one call, in order, both hops together. */
    keysOf: (callid: string, tag: string) =>
      reports
        .filter((r) => r.callid === callid && r.tag === tag)
        .map((r) => r.key)
        .join(''),
    /** The keys the gateway would capture from them: through its duplicate filter, in arrival order. */
    capturedKeysOf: (callid: string, tag: string) => {
      const filter = new DtmfDuplicateFilter();
      return reports
        .filter((r) => r.callid === callid && r.tag === tag)
        .filter((r) =>
          filter.accept(
            { sipCallId: r.callid, sourceTag: r.tag, key: r.key as KeypadKey, durationMs: undefined },
            r.hop === 'edge' ? 'rfc4733' : 'in-band',
            r.at,
          ),
        )
        .map((r) => r.key)
        .join('');
    },
    close,
  };
}

export type DtmfReports = Awaited<ReturnType<typeof openDtmfReports>>;
