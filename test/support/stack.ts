import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (test/support/ → ../..). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The run the integration tests use: state, generated config and logs in .run/test. */
export const TEST_RUN_NAME = 'test';

export interface StackOptions {
  /** Run name: `.run/<runName>/` holds pid files, the generated kamailio.cfg and the logs. */
  runName?: string;
  /** Extra TONEWALL_* settings for stack.sh (ports, targets, rtpengine flags). */
  env?: Record<string, string>;
  /** Run `stack_install` (apt-get of what is missing) before starting. Default true. */
  install?: boolean;
}

export interface StackHandle {
  readonly runName: string;
  readonly runDir: string;
  readonly kamailioLog: string;
  readonly rtpengineLog: string;
  /** Both logs as text, for the no-digits-in-logs checks. */
  readLogs(): string;
  stop(): Promise<void>;
}

/** Thrown when a component is missing or does not start: integration tests fail, never skip. */
export class StackError extends Error {
  readonly code = 'GW_ERR_TEST_STACK';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StackError';
  }
}

/**
 * What the suite's stack has that a deployed one has not: the edge rtpengine's CLI on 127.0.0.1:2224,
 * where test/support/stack-state.ts lists calls with their deletion marks (NG `list` has none). Off by
 * default everywhere else (scripts/lib/stack.sh). And carriers narrower than the default loopback /8.
 */
const SUITE_STACK_ENV: Readonly<Record<string, string>> = {
  TONEWALL_CLI_PORT: '2224',
  // the suite's customers are at 127.0.0.1–127.0.0.127 (SIPp, baresip, Linphone); 127.0.0.200 is
  // the unknown address call-phases.test.ts proves refused
  TONEWALL_CARRIER_SOURCES: '127.0.0.0/25',
  // the run's key set (global-setup makes it before the stack): Kamailio's SIP over TLS certificate
  TONEWALL_KEYS_DIR: join(REPO_ROOT, '.run', TEST_RUN_NAME, 'keys'),
};

function stackShell(
  fn: 'stack_install' | 'stack_up' | 'stack_down' | 'stack_status',
  runName: string | undefined,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ stdout: string; stderr: string }> {
  const script = `set -euo pipefail; . "$TONEWALL_ROOT/scripts/lib/stack.sh"; ${fn}${runName ? ' "$1"' : ''}`;
  const args = ['-c', script, 'stack', ...(runName ? [runName] : [])];
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      args,
      {
        env: {
          ...process.env,
          ...(runName === TEST_RUN_NAME ? SUITE_STACK_ENV : {}),
          ...env,
          TONEWALL_ROOT: REPO_ROOT,
        },
        timeout: timeoutMs,
        maxBuffer: 4 << 20,
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new StackError(`${fn}${runName ? ` ${runName}` : ''} failed: ${stderr.trim() || error.message}`, {
              cause: error,
            }),
          );
          return;
        }
        resolve({ stdout, stderr });
      },
    );
  });
}

/** apt-get what is missing (kamailio, rtpengine, sip-tester, …). Idempotent; a no-op when all is there. */
export async function installStack(env: Record<string, string> = {}): Promise<void> {
  await stackShell('stack_install', undefined, env, 15 * 60_000);
}

/**
 * Starts Kamailio and rtpengine through scripts/lib/stack.sh into `.run/<runName>` and checks that
 * both run. Rejects with a StackError (never resolves half-started) when something is missing.
 */
export async function startStack(options: StackOptions = {}): Promise<StackHandle> {
  const runName = options.runName ?? TEST_RUN_NAME;
  const env = options.env ?? {};
  if (options.install ?? true) await installStack(env);
  await stackShell('stack_up', runName, env, 60_000);
  try {
    await stackShell('stack_status', runName, env, 10_000);
  } catch (error) {
    await stackShell('stack_down', runName, env, 30_000).catch(() => undefined);
    throw error;
  }
  const runDir = join(REPO_ROOT, '.run', runName);
  const kamailioLog = join(runDir, 'kamailio.log');
  const rtpengineLog = join(runDir, 'rtpengine.log');
  return {
    runName,
    runDir,
    kamailioLog,
    rtpengineLog,
    readLogs: () => [kamailioLog, rtpengineLog].map((file) => readFileSync(file, 'utf8')).join('\n'),
    stop: () => stopStack(runName, env),
  };
}

/** Stops what stack_up started for this run (by the PIDs in its pid files only). */
export async function stopStack(
  runName: string = TEST_RUN_NAME,
  env: Record<string, string> = {},
): Promise<void> {
  await stackShell('stack_down', runName, env, 30_000);
}

/**
 * Restarts one component of a running stack (fault tests) by its pid file, `pauseSeconds` after
 * stopping it; the other component keeps running. `env` adds TONEWALL_* settings for the new process
 * (e.g. TONEWALL_DLG_KEEPALIVE); without them it starts with the defaults again.
 */
export function restartStackComponent(
  component: 'kamailio' | 'rtpengine',
  options: { runName?: string; pauseSeconds?: number; env?: Record<string, string> } = {},
): Promise<void> {
  const script = `set -euo pipefail; . "$TONEWALL_ROOT/scripts/lib/stack.sh"; stack_restart "$1" "$2" "$3"`;
  const args = [
    '-c',
    script,
    'stack',
    component,
    options.runName ?? TEST_RUN_NAME,
    String(options.pauseSeconds ?? 0),
  ];
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      args,
      {
        env: {
          ...process.env,
          ...((options.runName ?? TEST_RUN_NAME) === TEST_RUN_NAME ? SUITE_STACK_ENV : {}),
          ...options.env,
          TONEWALL_ROOT: REPO_ROOT,
        },
        timeout: 60_000,
      },
      (error, _out, stderr) =>
        error
          ? reject(new StackError(`restart of ${component} failed: ${stderr.trim() || error.message}`))
          : resolve(),
    );
  });
}

/** The ports and addresses of a stack of its own (a by-hand check beside the suite's stack). */
export interface OwnStackPorts {
  readonly sip: number;
  readonly evapi: number;
  readonly rpc: number;
  readonly ng: number;
  readonly maskNg: number;
  readonly muteNg: number;
  readonly rtpMin: number;
  readonly rtpMax: number;
  /** The edge's DTMF reports; the mask hop's go to the port below. */
  readonly dtmf: number;
  /** Where Kamailio sends inbound calls; also the PBX source. */
  readonly agent: { readonly address: string; readonly port: number };
  /** Where outbound calls go (unused by inbound-only checks). */
  readonly carrier: string;
}

/** The TONEWALL_* settings that put stack.sh's Kamailio and the three rtpengines on `ports`, plus `extra`. */
export function ownStackEnv(
  ports: OwnStackPorts,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    TONEWALL_SIP_PORT: String(ports.sip),
    TONEWALL_EVAPI_PORT: String(ports.evapi),
    TONEWALL_RPC_PORT: String(ports.rpc),
    TONEWALL_NG_PORT: String(ports.ng),
    TONEWALL_MASK_NG_PORT: String(ports.maskNg),
    TONEWALL_MUTE_NG_PORT: String(ports.muteNg),
    TONEWALL_RTP_PORT_MIN: String(ports.rtpMin),
    TONEWALL_RTP_PORT_MAX: String(ports.rtpMax),
    TONEWALL_DTMF_LOG_DEST: `127.0.0.1:${ports.dtmf}`,
    TONEWALL_PBX_SOURCE: ports.agent.address,
    TONEWALL_PBX_TARGET: `sip:${ports.agent.address}:${ports.agent.port}`,
    TONEWALL_CARRIER_TARGET: `sip:${ports.carrier}`,
    ...extra,
  };
}
