/**
 * rtpengine processes of a test's own with Redis (issue 19's media failover measurements): start one
 * with given Redis options on a loopback address and port range, kill it (by its PID), and set up a
 * masked call on it by NG alone (offer, answer, block DTMF), without Kamailio, so what rtpengine
 * itself keeps in Redis and restores is what is measured.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import type { NgClient } from '../../src/adapters/rtpengine/ng-client.js';
import { assertLoopback } from './media/loopback.js';
import { waitForUdpBound } from './ports.js';

export interface RtpengineOptions {
  /** Names the log file `<logDir>/<name>.log`. */
  name: string;
  logDir: string;
  /** Media address (`--interface`). */
  address: string;
  ngPort: number;
  portMin: number;
  portMax: number;
  /** `--redis=…`, `--redis-write=…`, `--subscribe-keyspace=…`, `--active-switchover`, … */
  redisArgs: readonly string[];
  /** More rtpengine options (the mask hop's `--dtx-delay=10 --max-dtx=0`). */
  extraArgs?: readonly string[];
}

export interface RtpengineProcess {
  readonly pid: number;
  readonly logFile: string;
  /** ms from spawn until the NG port was bound. */
  readonly startMs: number;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Spawns rtpengine (userspace, no config file, level 6) and waits for its NG port. */
export async function startRtpengine(options: RtpengineOptions): Promise<RtpengineProcess> {
  assertLoopback(options.address);
  const logFile = join(options.logDir, `${options.name}.log`);
  const out = openSync(logFile, 'a');
  const began = performance.now();
  const child: ChildProcess = spawn(
    'rtpengine',
    [
      '--config-file=none',
      '--table=-1',
      '--foreground',
      '--log-stderr',
      '--log-level=6',
      `--interface=${options.address}`,
      `--listen-ng=127.0.0.1:${options.ngPort}`,
      `--port-min=${options.portMin}`,
      `--port-max=${options.portMax}`,
      '--num-threads=1',
      ...options.redisArgs,
      ...(options.extraArgs ?? []),
    ],
    { stdio: ['ignore', out, out] },
  );
  if (child.pid === undefined) throw new Error(`rtpengine ${options.name} did not start`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForUdpBound('127.0.0.1', options.ngPort, {
    timeoutMs: 10_000,
    alive: () => child.exitCode === null && child.signalCode === null,
    what: `rtpengine ${options.name}`,
  });
  const pid = child.pid;
  return {
    pid,
    logFile,
    startMs: performance.now() - began,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(pid, signal);
        await exited;
      }
    },
  };
}

export interface NgCallEnds {
  /** Where the customer sends (rtpengine's port on the customer's side). */
  readonly toEngine: { address: string; port: number };
}

function sdp(address: string, port: number): string {
  return [
    'v=0',
    `o=- 1 1 IN IP4 ${address}`,
    's=-',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${port} RTP/AVP 0 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

function mediaOf(body: unknown): { address: string; port: number } {
  const text = String(body);
  const address = /c=IN IP4 (\S+)/.exec(text)?.[1];
  const port = Number(/m=audio (\d+)/.exec(text)?.[1]);
  if (!address || !Number.isInteger(port)) throw new Error('rtpengine returned an SDP without c= or m=');
  return { address, port };
}

/**
 * The customer (from-tag `customer`) offers, the agent (to-tag `agent`) answers, then `block DTMF`
 * on the customer's tag with `blockFlags` (the mask hop's: DTMF-security silence, delay-buffer,
 * detect-DTMF). With `answerAgain`, the answer is sent once more after the block: rtpengine writes a
 * call to Redis on offer and answer, not on `block DTMF`. Returns where the customer must send.
 */
export async function setUpMaskedCall(
  ng: NgClient,
  callId: string,
  customer: { address: string; port: number },
  agent: { address: string; port: number },
  blockFlags: Record<string, string | number | string[]>,
  answerAgain = false,
): Promise<NgCallEnds> {
  const offer = await ng.request({
    command: 'offer',
    'call-id': callId,
    'from-tag': 'customer',
    sdp: sdp(customer.address, customer.port),
    replace: ['origin', 'session-connection'],
  });
  if (offer.result !== 'ok') throw new Error(`offer: ${String(offer['error-reason'])}`);
  const answerRequest = {
    command: 'answer',
    'call-id': callId,
    'from-tag': 'customer',
    'to-tag': 'agent',
    sdp: sdp(agent.address, agent.port),
    replace: ['origin', 'session-connection'],
  };
  const answer = await ng.request(answerRequest);
  if (answer.result !== 'ok') throw new Error(`answer: ${String(answer['error-reason'])}`);
  const block = await ng.request({
    command: 'block DTMF',
    'call-id': callId,
    'from-tag': 'customer',
    ...blockFlags,
  });
  if (block.result !== 'ok') throw new Error(`block DTMF: ${String(block['error-reason'])}`);
  if (answerAgain) {
    const again = await ng.request(answerRequest);
    if (again.result !== 'ok') throw new Error(`second answer: ${String(again['error-reason'])}`);
  }
  return { toEngine: mediaOf(answer.sdp) };
}

/** What rtpengine stored of a call in Redis: per tag its block_dtmf / block_media, and the field names. */
export function storedMasking(json: string): {
  tags: Array<{ tag: string; blockDtmf: string; blockMedia: string }>;
  fieldNames: string[];
} {
  const stored = JSON.parse(json) as Record<string, Record<string, string>>;
  const tags = Object.entries(stored)
    .filter(([key]) => key.startsWith('tag-'))
    .map(([, value]) => ({
      tag: decodeURIComponent(value.tag ?? ''),
      blockDtmf: value.block_dtmf ?? '(none)',
      blockMedia: value.block_media ?? '(none)',
    }));
  const fieldNames = new Set<string>();
  for (const value of Object.values(stored)) {
    if (value && typeof value === 'object') for (const field of Object.keys(value)) fieldNames.add(field);
  }
  return { tags, fieldNames: [...fieldNames].sort() };
}
