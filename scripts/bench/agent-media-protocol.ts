/** What the agents' media thread and the bench exchange (agent-media-worker.ts ↔ agent-media-thread.ts). */
import type { AgentLeakReport } from './agent-endpoint.js';

/** The thread's settings (its workerData). */
export interface AgentMediaSettings {
  /** Loopback address the endpoints bind (the agents' side). */
  readonly address: string;
  /** How many endpoints: one per call. */
  readonly count: number;
}

/** Bench → thread: every call has ended; stop talking, analyse what each agent received, close. */
export type AgentMediaCommand = { type: 'finish' };

export type AgentMediaMessage =
  /** The endpoints' ports, in order (the agents' injection lines). */
  | { type: 'ready'; ports: number[] }
  /** One report per endpoint, in the order of `ports`; the endpoints are closed by then. */
  | { type: 'reports'; reports: AgentLeakReport[] }
  | { type: 'failed'; message: string };
