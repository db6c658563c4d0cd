/**
 * The DTMF receive thread's program (started by DtmfReceiveThread; not imported by the main thread).
 * It binds the socket and, for each datagram, in this order: stamps its arrival, drops it when the
 * main thread has too many messages outstanding, refuses it when it comes from outside the
 * allow-list or is over the size limit, validates it, and drops the second hop's report of a key press
 * a phone sent both as an event and as a tone. It reads two sockets: the edge rtpengine's reports
 * (RFC 4733) and the mask rtpengine's (in-band). Only accepted key presses, refusals and malformed
 * notices go to the main thread. Nothing else runs on this event loop, so arrival stamps stay within
 * a few milliseconds of the wire while the main thread is busy; and the main thread's share of the
 * work is one message per key press. Its copy of each datagram is zeroed once read.
 */
import { createSocket } from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { isGatewayError } from '../../errors.js';
import { DtmfDuplicateFilter, type DtmfReportKind, SWEEP_EVERY_MS } from './dtmf-duplicate-filter.js';
import { parseDtmfDatagram } from './dtmf-event.js';
import {
  type DtmfThreadMessage,
  type DtmfThreadSettings,
  DUPLICATES,
  IN_FLIGHT,
  OVERFLOW,
} from './dtmf-thread-protocol.js';

const settings = workerData as DtmfThreadSettings;
if (parentPort === null) throw new Error('dtmf-receive-worker runs as a worker thread');
const port = parentPort;

const post = (message: DtmfThreadMessage) => {
  Atomics.add(settings.counters, IN_FLIGHT, 1);
  port.postMessage(message);
};
// ::ffff:127.0.0.1 and 127.0.0.1 are the same sender
const plain = (address: string) => (address.startsWith('::ffff:') ? address.slice(7) : address);
const allowed = new Set(settings.allowedSources.map(plain));
const filter = new DtmfDuplicateFilter();
const wallClockMs = () => performance.timeOrigin + performance.now();

function onDatagram(bytes: Buffer, sourceAddress: string, kind: DtmfReportKind): void {
  const receivedAt = wallClockMs();
  if (Atomics.load(settings.counters, IN_FLIGHT) >= settings.maxInFlight) {
    Atomics.add(settings.counters, OVERFLOW, 1);
    return;
  }
  if (!allowed.has(plain(sourceAddress))) {
    post({ type: 'refused', reason: 'source', address: sourceAddress, length: bytes.length });
    return;
  }
  if (bytes.length > settings.maxBytes) {
    post({ type: 'refused', reason: 'size', address: sourceAddress, length: bytes.length });
    return;
  }
  let event: ReturnType<typeof parseDtmfDatagram>;
  try {
    event = parseDtmfDatagram(bytes);
  } catch (error) {
    post({
      type: 'malformed',
      code: isGatewayError(error) ? error.code : 'GW_ERR_DTMF_MALFORMED',
      reason: isGatewayError(error) ? error.message : 'unreadable',
      length: bytes.length,
    });
    return;
  }
  if (!filter.accept(event, kind, receivedAt)) {
    Atomics.add(settings.counters, DUPLICATES, 1);
    post({ type: 'twin', sipCallId: event.sipCallId, kind });
    return;
  }
  post({ type: 'key', event, kind, receivedAt });
}

// keys leave the filter after ~2 s even when no report comes
const sweeper = setInterval(() => filter.sweep(wallClockMs()), SWEEP_EVERY_MS);
const family = settings.host.includes(':') ? 'udp6' : 'udp4';
const sockets = { rfc4733: createSocket(family), 'in-band': createSocket(family) };

function bind(kind: DtmfReportKind, wanted: number): Promise<number> {
  const socket = sockets[kind];
  return new Promise((resolve) => {
    socket.once('error', (error: NodeJS.ErrnoException) => {
      port.postMessage({
        type: 'failed',
        message: error.message,
        code: error.code,
      } satisfies DtmfThreadMessage);
    });
    socket.bind(wanted, settings.host, () => {
      socket.setRecvBufferSize(settings.receiveBufferBytes);
      socket.on('message', (bytes, remote) => {
        try {
          onDatagram(bytes, remote.address, kind);
        } finally {
          bytes.fill(0);
        }
      });
      resolve(socket.address().port);
    });
  });
}

const [eventsPort, tonesPort] = await Promise.all([
  bind('rfc4733', settings.port),
  bind('in-band', settings.tonesPort),
]);
port.postMessage({
  type: 'bound',
  port: eventsPort,
  tonesPort,
  receiveBufferBytes: sockets.rfc4733.getRecvBufferSize(),
} satisfies DtmfThreadMessage);
port.on('message', (message: unknown) => {
  if (message !== 'close') return;
  clearInterval(sweeper);
  let open = 2;
  for (const socket of Object.values(sockets)) {
    socket.close(() => {
      open -= 1;
      if (open === 0) port.close();
    });
  }
});
