/** What the DTMF receive thread and the main thread exchange (dtmf-receive-worker.ts ↔ dtmf-receive-thread.ts). */
import type { ErrorCode } from '../../errors.js';
import type { DtmfReportKind } from './dtmf-duplicate-filter.js';
import type { DtmfEvent } from './dtmf-event.js';

/** The thread's settings (its workerData). */
export interface DtmfThreadSettings {
  readonly host: string;
  /** The edge rtpengine's reports (RFC 4733 events). */
  readonly port: number;
  /** The mask rtpengine's reports (in-band tones), on the same host. */
  readonly tonesPort: number;
  /** SO_RCVBUF asked for (Linux caps it at net.core.rmem_max). */
  readonly receiveBufferBytes: number;
  readonly allowedSources: readonly string[];
  readonly maxBytes: number;
  /** Messages the main thread may have outstanding before the thread drops datagrams. */
  readonly maxInFlight: number;
  /** Shared counters, indexed by IN_FLIGHT, OVERFLOW, DUPLICATES. */
  readonly counters: Int32Array;
}

/** Slots of the shared counters. */
export const IN_FLIGHT = 0;
export const OVERFLOW = 1;
export const DUPLICATES = 2;
export const COUNTER_SLOTS = 3;

export type DtmfThreadMessage =
  | { type: 'bound'; port: number; tonesPort: number; receiveBufferBytes: number }
  | { type: 'failed'; message: string; code?: string | undefined }
  /** One key press, once (the other hop's report of it dropped); `receivedAt` is wall-clock ms. */
  | { type: 'key'; event: DtmfEvent; kind: DtmfReportKind; receivedAt: number }
  /** The other hop's report of a key press accepted before, dropped (the Call-ID, never the key). */
  | { type: 'twin'; sipCallId: string; kind: DtmfReportKind }
  | { type: 'refused'; reason: 'source' | 'size'; address: string; length: number }
  /** Not a DTMF report: the code and a reason naming fields, never content. */
  | { type: 'malformed'; code: ErrorCode; reason: string; length: number };
