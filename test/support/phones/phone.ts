/**
 * Real softphones as the customer (issue 14, item 4): what baresip-phone.ts and linphone-phone.ts
 * share. A phone is a child process with its own temporary config directory, on a loopback address
 * of its own (never 127.0.0.2, the PBX/agent side), no sound card, calling Kamailio directly
 * without registering. Every process is tracked by PID and ended by `stop()` or `stopAllPhones()`.
 *
 * The phone's "microphone" carries a 400 Hz tone ("voice") before and after the keys, silence
 * under them: the agent hearing that tone is the positive control that the phone's audio reached
 * it. 400 Hz is far from every DTMF frequency, so it is never taken for a digit.
 *
 * Logs: `<logDir>/<phone>-<n>.log`. The phones print each key they send on its own line; those
 * lines are written with the key replaced by `•`, so a log never holds a keyed sequence.
 *
 * This file: what a phone is (`Phone`, its options and call plan) and its error; phone-process.ts
 * (the child process), phone-ports.ts, phone-sound.ts (the microphone's signal) and phone-logs.ts.
 */
import { join } from 'node:path';
import { REPO_ROOT, TEST_RUN_NAME } from '../stack.js';

export type DtmfMode = 'rfc4733' | 'inband';
export type PhoneKind = 'baresip' | 'linphone';

/** Where the phones' logs go in the suite. */
export const PHONE_LOG_DIR = join(REPO_ROOT, '.run', TEST_RUN_NAME, 'phones');

/** The "voice" the phones' microphones carry before and after the keys. */
export const VOICE_HZ = 400;
export const VOICE_DBFS = -20;
/** Level of each tone of an in-band key a script generates (linphone's own generator measures −16.6 dBFS). */
export const INBAND_TONE_DBFS = -16;
/** Length of an in-band key (linphone's generator: always 100 ms). */
export const INBAND_TONE_MS = 100;

export interface PhoneOptions {
  /** Names the log file. */
  name: string;
  mode: DtmfMode;
  /** The phone's own loopback address (default per phone: 127.0.0.11 baresip, 127.0.0.12 linphone). */
  address?: string;
  /** Default PHONE_LOG_DIR. */
  logDir?: string;
  /**
   * SIP over TLS to Kamailio (its certificate checked against `caFile`) and SRTP on the call: `sdes`
   * (RTP/SAVP, keys in the SDP) or `dtls` (DTLS-SRTP). baresip only.
   */
  secure?: { readonly srtp: 'sdes' | 'dtls'; readonly caFile: string };
}

export interface CallPlan {
  /** Whom to call: `sip:agent@127.0.0.1:5060` (Kamailio; no registration). */
  uri: string;
  /** The keys to press, in order. */
  keys: string;
  /** From one key press to the next, ms (the phone may not go faster: see each phone). */
  interKeyMs: number;
  /** Voice from the answer to the first key, ms (default 1000). */
  leadMs?: number;
  /** Voice after the last key before hanging up, ms (default 1000). */
  tailMs?: number;
  /** The call must be answered within this (default 10 s). */
  answerTimeoutMs?: number;
}

export interface CallRecord {
  /** Epoch ms of the answer (the phone saw 200 OK / its media start). */
  readonly answeredAt: number;
  /** Epoch ms at which each key was pressed (for an in-band file: where its tone starts). */
  readonly pressedAt: readonly number[];
  /** Epoch ms at which the phone saw the call end after its BYE. */
  readonly endedAt: number;
}

export interface Phone {
  readonly kind: PhoneKind;
  readonly mode: DtmfMode;
  /** The phone's SIP address. */
  readonly address: string;
  readonly pid: number;
  readonly logFile: string;
  /** The UDP port the phone sends its RTP from (its SDP's media port). */
  readonly rtpPort: number;
  /** The fastest the phone keys in this mode, ms from press to press. */
  readonly minInterKeyMs: number;
  /** Places the call, keys, hangs up; resolves once the call has ended. */
  call(plan: CallPlan): Promise<CallRecord>;
  /** Ends the process (SIGTERM, then SIGKILL by PID) and removes its temporary directory. */
  stop(): Promise<void>;
}

export class PhoneError extends Error {
  readonly code = 'GW_ERR_TEST_PHONE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PhoneError';
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
