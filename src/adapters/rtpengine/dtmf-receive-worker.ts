/**
 * The DTMF receive thread's program (started by DtmfReceiveThread; not imported by the main thread).
 * It binds the socket and, for each datagram, in this order: stamps its arrival, drops it when the
 * main thread has too many messages outstanding, refuses it when it comes from outside the
 * allow-list or is over the size limit, validates it, and drops rtpengine's second report of a key
 * press. Only accepted key presses, refusals and malformed notices go to the main thread. Nothing else
 * runs on this event loop, so arrival stamps, and the duplicate filter's timing that depends on them,
 * stay within a few milliseconds of the wire while the main thread is busy; and the main thread's
 * share of the work is one message per key press. Its copy of each datagram is zeroed once read.
 */
import { createSocket } from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { isGatewayError } from '../../errors.js';
import { DtmfDuplicateFilter, SWEEP_EVERY_MS } from './dtmf-duplicate-filter.js';
import { parseDtmfDatagram } from './dtmf-event.js';
import {
  type DtmfThreadMessage,
  type DtmfThreadSettings,
  DUPLICATES,
  IN_FLIGHT,
  OVERFLOW,
} from './dtmf-thread-protocol.js';

const settings = workerData as DtmfThreadSettings;
const port = parentPort;
if (port === null) throw new Error('dtmf-receive-worker runs as a worker thread');

const post = (message: DtmfThreadMessage) => {
  Atomics.add(settings.counters, IN_FLIGHT, 1);
  port.postMessage(message);
};
// ::ffff:127.0.0.1 and 127.0.0.1 are the same sender
const plain = (address: string) => (address.startsWith('::ffff:') ? address.slice(7) : address);
const allowed = new Set(settings.allowedSources.map(plain));
const filter = new DtmfDuplicateFilter();
const wallClockMs = () => performance.timeOrigin + performance.now();
/** The filter's clock: each arrival, or (tests that send faster than a person keys) a fixed step per report. */
let steppedClock = 0;
function filterTime(arrival: number): number {
  if (settings.filterStepMs === undefined) return arrival;
  steppedClock += settings.filterStepMs;
  return steppedClock;
}

function onDatagram(bytes: Buffer, sourceAddress: string): void {
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
  if (!filter.accept(event, filterTime(receivedAt))) {
    Atomics.add(settings.counters, DUPLICATES, 1);
    return;
  }
  post({ type: 'key', event, receivedAt });
}

const socket = createSocket(settings.host.includes(':') ? 'udp6' : 'udp4');
// keys leave the filter after ~2 s even when no report comes
const sweeper = setInterval(
  () => filter.sweep(settings.filterStepMs === undefined ? wallClockMs() : steppedClock),
  SWEEP_EVERY_MS,
);
socket.once('error', (error: NodeJS.ErrnoException) => {
  port.postMessage({ type: 'failed', message: error.message, code: error.code } satisfies DtmfThreadMessage);
});
socket.bind(settings.port, settings.host, () => {
  socket.setRecvBufferSize(settings.receiveBufferBytes);
  socket.on('message', (bytes, remote) => {
    try {
      onDatagram(bytes, remote.address);
    } finally {
      bytes.fill(0);
    }
  });
  port.postMessage({
    type: 'bound',
    port: socket.address().port,
    receiveBufferBytes: socket.getRecvBufferSize(),
  } satisfies DtmfThreadMessage);
});
port.on('message', (message: unknown) => {
  if (message !== 'close') return;
  clearInterval(sweeper);
  socket.close(() => port.close());
});
