/**
 * The sampled agents' media thread: runs their RTP endpoints (agent-endpoint.ts: ~50 packets a second
 * in and 50 out per call, a 20 ms timer each) away from the bench's main thread, which time-stamps
 * SSE frames and must not wait behind them. Each endpoint records and, on `finish`, analyses every
 * packet its agent received, as on the main thread before.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { AgentEndpoint } from './agent-endpoint.js';
import type { AgentMediaCommand, AgentMediaMessage, AgentMediaSettings } from './agent-media-protocol.js';

if (!parentPort) throw new Error('agent-media-worker runs as a worker thread');
const port: MessagePort = parentPort;
const settings = workerData as AgentMediaSettings;
const post = (message: AgentMediaMessage) => port.postMessage(message);

async function main(): Promise<void> {
  const endpoints = await Promise.all(
    Array.from({ length: settings.count }, () => AgentEndpoint.open(settings.address)),
  );
  port.on('message', (command: AgentMediaCommand) => {
    if (command.type !== 'finish') return;
    for (const endpoint of endpoints) endpoint.hangUp();
    const reports = endpoints.map((endpoint) => endpoint.report());
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
