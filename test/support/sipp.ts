/**
 * Runs one SIPp process (sip-tester) for a test: loopback only, its own control port, stdout and
 * unexpected messages kept in log files, tracked and ended by its PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { assertLoopback } from './media/loopback.js';
import { freeUdpPort, waitForUdpBound } from './ports.js';
import { REPO_ROOT } from './stack.js';

/** The project's scenarios (test/sipp/*.xml). */
export const SIPP_SCENARIO_DIR = join(REPO_ROOT, 'test', 'sipp');

export interface SippOptions {
  /** A scenario in test/sipp (`customer-pcmu.xml`) or an absolute path. */
  scenario: string;
  /** Names the log files: `<logDir>/<name>.out` (screen) and `<logDir>/<name>-errors.log`. */
  name: string;
  /** SIPp's working directory: where `play_pcap_audio="customer.pcap"` looks. */
  cwd: string;
  logDir: string;
  /** Local SIP address and port (`-i`, `-p`). */
  sip: { address: string; port: number };
  /** Local media address and port (`-mi`, `-mp`); SIPp also binds port + 2. */
  media: { address: string; port: number };
  /** UAC only: where to send the first request (`host:port`). */
  remote?: string;
  /** Values for the scenario's `<Global variables>` (`-set name value`). */
  vars?: Readonly<Record<string, string>>;
  /** Calls before SIPp exits (`-m`, default 1). */
  calls?: number;
  /** SIPp fails (exit code ≠ 0) when it runs longer than this (`-timeout … -timeout_error`), default 60 s. */
  timeoutS?: number;
  /** Keep every message sent and received in `<logDir>/<name>-messages.log` (`-trace_msg`). */
  traceMessages?: boolean;
  extraArgs?: readonly string[];
}

export interface SippExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SippProcess {
  readonly name: string;
  readonly pid: number;
  readonly sip: { address: string; port: number };
  /** SIPp's screen output (its statistics when it ends). */
  readonly outFile: string;
  /** Messages SIPp did not expect (`-trace_err`). */
  readonly errorFile: string;
  /** Every message, with `traceMessages` (else undefined). */
  readonly messageFile: string | undefined;
  readonly exit: Promise<SippExit>;
  readonly running: boolean;
  /**
   * Resolves when SIPp exits 0 (every call succeeded); rejects with the end of its logs when it
   * exits otherwise or is still running after `timeoutMs`.
   */
  succeeded(timeoutMs: number): Promise<void>;
  /** SIGKILL by PID if it still runs, then waits for the exit. */
  kill(): Promise<void>;
}

function tail(file: string, bytes = 1500): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  return text.slice(-bytes);
}

/**
 * Starts SIPp and resolves once it has bound its SIP port (so a UAS is ready for the INVITE).
 * A UAC's Call-ID is `1-<pid>@<sip address>` (`-cid_str %u-%p@%s`), its From tag `<pid>c1`.
 */
export async function startSipp(options: SippOptions): Promise<SippProcess> {
  for (const address of [options.sip.address, options.media.address]) assertLoopback(address);
  mkdirSync(options.logDir, { recursive: true });
  const scenario = isAbsolute(options.scenario)
    ? options.scenario
    : join(SIPP_SCENARIO_DIR, options.scenario);
  if (!existsSync(scenario)) throw new Error(`SIPp scenario ${scenario} does not exist`);
  const outFile = join(options.logDir, `${options.name}.out`);
  const errorFile = join(options.logDir, `${options.name}-errors.log`);
  const messageFile = options.traceMessages
    ? join(options.logDir, `${options.name}-messages.log`)
    : undefined;
  // The control socket binds 0.0.0.0:8888 unless told otherwise: keep it on loopback, on a free port.
  const controlPort = await freeUdpPort('127.0.0.1');
  const args = [
    ...(options.remote ? [options.remote] : []),
    '-sf',
    scenario,
    '-i',
    options.sip.address,
    '-p',
    String(options.sip.port),
    '-mi',
    options.media.address,
    '-mp',
    String(options.media.port),
    '-ci',
    '127.0.0.1',
    '-cp',
    String(controlPort),
    '-m',
    String(options.calls ?? 1),
    '-cid_str',
    '%u-%p@%s',
    '-nostdin',
    '-trace_err',
    '-error_file',
    errorFile,
    '-timeout',
    String(options.timeoutS ?? 60),
    '-timeout_error',
    ...(messageFile ? ['-trace_msg', '-message_file', messageFile] : []),
    ...Object.entries(options.vars ?? {}).flatMap(([name, value]) => ['-set', name, value]),
    ...(options.extraArgs ?? []),
  ];
  const out = openSync(outFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn('sipp', args, { cwd: options.cwd, stdio: ['ignore', out, out] });
  } finally {
    closeSync(out);
  }
  const spawned = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid ?? -1));
    child.once('error', (error) =>
      reject(new Error(`sipp could not start (is sip-tester installed?): ${error.message}`)),
    );
  });
  const exit = new Promise<SippExit>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = async () => {
    if (running()) process.kill(spawned, 'SIGKILL');
    await exit;
  };
  const handle: SippProcess = {
    name: options.name,
    pid: spawned,
    sip: { ...options.sip },
    outFile,
    errorFile,
    messageFile,
    exit,
    get running() {
      return running();
    },
    async succeeded(timeoutMs: number) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const result = await Promise.race([exit, timedOut]);
      clearTimeout(timer);
      if (result === 'timeout') {
        throw new Error(
          `SIPp ${options.name} (pid ${spawned}) still running after ${timeoutMs} ms\n${tail(outFile)}`,
        );
      }
      if (result.code !== 0) {
        throw new Error(
          `SIPp ${options.name} (pid ${spawned}) ended with ${result.code ?? result.signal}; ` +
            `logs ${outFile}, ${errorFile}\n${tail(errorFile)}\n${tail(outFile)}`,
        );
      }
    },
    kill,
  };
  try {
    await waitForUdpBound(options.sip.address, options.sip.port, {
      alive: running,
      what: `SIPp ${options.name}`,
    });
  } catch (error) {
    await kill();
    throw new Error(`${(error as Error).message}\n${tail(outFile)}`, { cause: error });
  }
  return handle;
}

export interface SipMessageSeen {
  readonly direction: 'sent' | 'received';
  /** The first line: `INVITE sip:… SIP/2.0` or `SIP/2.0 488 Not Acceptable Here`. */
  readonly firstLine: string;
  /** A response's status code (undefined for a request). */
  readonly status: number | undefined;
  /** The SDP body's audio port (`m=audio`), when the message carries one. */
  readonly audioPort: number | undefined;
}

/** The messages of a SIPp message trace (`traceMessages`), in order; unexpected ones are left out. */
export function tracedMessages(messageFile: string): SipMessageSeen[] {
  if (!existsSync(messageFile)) return [];
  const seen: SipMessageSeen[] = [];
  for (const block of readFileSync(messageFile, 'utf8').split(/^-{20,}.*$/m)) {
    const lines = block.replace(/\r/g, '').split('\n');
    const heading = lines.findIndex((line) => /^UDP message (sent|received)/.test(line));
    if (heading < 0) continue;
    const firstLine = lines.slice(heading + 1).find((line) => line.trim() !== '') ?? '';
    const status = /^SIP\/2\.0 (\d{3})/.exec(firstLine)?.[1];
    const audioPort = /^m=audio (\d+) /m.exec(block.replace(/\r/g, ''))?.[1];
    seen.push({
      direction: lines[heading]?.includes('sent') ? 'sent' : 'received',
      firstLine,
      status: status === undefined ? undefined : Number(status),
      audioPort: audioPort === undefined ? undefined : Number(audioPort),
    });
  }
  return seen;
}
