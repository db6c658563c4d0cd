/**
 * The agents' media thread: runs one RTP endpoint per call (agent-endpoint.ts: 50–100 packets a second
 * in and 50 out per call) away from the bench's main thread, which time-stamps SSE frames and must not
 * wait behind them. The endpoints talk on one shared 20 ms tick (as SIPp's rtp_stream did for its
 * agents); each records and, on `finish`, analyses every packet its agent received.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { AgentEndpoint } from './agent-endpoint.js';
import type { AgentMediaCommand, AgentMediaMessage, AgentMediaSettings } from './agent-media-protocol.js';
import { udpDropsByPort } from './proc.js';

if (!parentPort) throw new Error('agent-media-worker runs as a worker thread');
const port: MessagePort = parentPort;
const settings = workerData as AgentMediaSettings;
const post = (message: AgentMediaMessage) => port.postMessage(message);

async function main(): Promise<void> {
  const endpoints = await Promise.all(
    Array.from({ length: settings.count }, () => AgentEndpoint.open(settings.address)),
  );
  const tick = setInterval(() => {
    for (const endpoint of endpoints) endpoint.talk();
  }, 20);
  port.on('message', (command: AgentMediaCommand) => {
    if (command.type !== 'finish') return;
    clearInterval(tick);
    for (const endpoint of endpoints) endpoint.hangUp();
    const drops = udpDropsByPort(endpoints.map((endpoint) => endpoint.port));
    const reports = endpoints.map((endpoint) => endpoint.report(drops.get(endpoint.port) ?? 0));
    void Promise.all(endpoints.map((endpoint) => endpoint.close()))
      .then(() => post({ type: 'reports', reports }))
      .catch(fail);
  });
  post({ type: 'ready', ports: endpoints.map((endpoint) => endpoint.port) });
}

function fail(error: unknown): void {
  post({ type: 'failed', message: (error as Error).message });
  process.exit(1);
}

// a throw in the message handler ends the thread with an 'error' event, which the bench reports
main().catch(fail);
