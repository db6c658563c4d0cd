import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { AUDIT_ENVIRONMENT, type AuditSettings, auditSettings } from '../adapters/audit/audit-settings.js';
import type { ProcessorSettings } from '../adapters/processors/create-connector.js';
import { GatewayError } from '../errors.js';
import { SANDBOX_SETTINGS } from '../sandbox/sandbox-config.js';
import {
  ACCESS_ENVIRONMENT,
  type AccessSettings,
  accessSettings,
  checkAccessSettings,
} from './access-settings.js';

const port = z.coerce.number().int().min(1).max(65_535);
const host = z.string().min(1).max(255);
const milliseconds = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const commaList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  )
  .pipe(z.array(z.string().min(1)).min(1));

/** Settings of the call path and the scripts, shared through one environment with the gateway. */
export const STACK_SETTINGS = [
  'TONEWALL_SIP_ADDR',
  'TONEWALL_SIP_PORT',
  'TONEWALL_CLI_PORT',
  'TONEWALL_MEDIA_ADDR',
  'TONEWALL_RTP_PORT_MIN',
  'TONEWALL_RTP_PORT_MAX',
  'TONEWALL_PBX_SOURCE',
  'TONEWALL_PBX_TARGET',
  'TONEWALL_CARRIER_TARGET',
  'TONEWALL_AGENT_HEADER',
  'TONEWALL_DLG_TIMEOUT',
  'TONEWALL_DLG_KEEPALIVE',
  'TONEWALL_RTPE_OFFER_FLAGS',
  'TONEWALL_RTPE_ANSWER_FLAGS',
  'TONEWALL_BLOCK_DTMF_FLAGS',
  'TONEWALL_RTPE_EXTRA_ARGS',
  'TONEWALL_RTPE_THREADS',
  'TONEWALL_MASK_CLI_PORT',
  'TONEWALL_EDGE_BLOCK_DTMF_FLAGS',
  'TONEWALL_MASK_DTX_DELAY',
  'TONEWALL_MASK_RTPE_ARGS',
] as const;

/**
 * Every setting the gateway reads, as environment variables. The schema is strict: an unknown
 * TONEWALL_* variable is a typo and stops start-up rather than being ignored.
 */
const environmentSchema = z
  .object({
    TONEWALL_LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    TONEWALL_HTTP_HOST: host.default('127.0.0.1'),
    TONEWALL_HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
    TONEWALL_API_KEY: z.string().min(16, 'must be at least 16 characters').max(256).optional(),
    /** Bearer token for GET /metrics (integration keys work too); unset: integration keys only. */
    TONEWALL_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
    /** How long /healthz waits for each probe (rtpengine ping: one attempt, no retry). */
    TONEWALL_HEALTH_TIMEOUT_MS: milliseconds(50, 10_000).default(500),
    TONEWALL_NG_ADDR: host.default('127.0.0.1'),
    TONEWALL_NG_PORT: port.default(2223),
    /** The mask rtpengine (the hop facing the agent): its NG port, on TONEWALL_NG_ADDR. */
    TONEWALL_MASK_NG_PORT: port.default(2225),
    /** The mask hop's delay buffer outside capture, ms (Kamailio applies it at answer). */
    TONEWALL_MASK_DELAY_BUFFER: z.coerce.number().int().min(20).max(1000).default(50),
    /** The mask hop's delay buffer while a payment captures, ms (docs/media.md). */
    TONEWALL_CAPTURE_DELAY_BUFFER: z.coerce.number().int().min(20).max(1000).default(120),
    TONEWALL_NG_TIMEOUT_MS: milliseconds(50, 30_000).default(1000),
    TONEWALL_NG_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    TONEWALL_DTMF_LOG_DEST: z
      .string()
      .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'must be HOST:PORT')
      .default('127.0.0.1:9999'),
    /** The mask rtpengine's reports (in-band tones): same host, default the port below TONEWALL_DTMF_LOG_DEST's. */
    TONEWALL_MASK_DTMF_LOG_DEST: z
      .string()
      .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'must be HOST:PORT')
      .optional(),
    TONEWALL_DTMF_ALLOWED_SOURCES: commaList.default(['127.0.0.1']),
    TONEWALL_EVAPI_ADDR: host.default('127.0.0.1'),
    TONEWALL_EVAPI_PORT: port.default(8448),
    TONEWALL_EVAPI_RECONNECT_MS: milliseconds(50, 60_000).default(1000),
    TONEWALL_RPC_ADDR: host.default('127.0.0.1'),
    TONEWALL_RPC_PORT: port.default(5071),
    TONEWALL_RPC_TIMEOUT_MS: milliseconds(50, 30_000).default(2000),
    TONEWALL_PROMPTS_DIR: z.string().min(1).max(1024).optional(),
    TONEWALL_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').max(512).optional(),
    /** Hosts status callbacks may go to (comma-separated); unset: any https host, or http to loopback. */
    TONEWALL_WEBHOOK_HOSTS: commaList.optional(),
    /** The project folder (scripts/tonewall exports it); relative key paths start here. */
    TONEWALL_ROOT: z.string().min(1).max(4096).optional(),
    /** The run (scripts/tonewall: .run/<name>); default places such as the audit log follow it. */
    TONEWALL_RUN_NAME: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,31}$/)
      .optional(),
    // The signed audit log (src/adapters/audit/audit-settings.ts).
    ...AUDIT_ENVIRONMENT,
    TONEWALL_KEYS_DIR: z.string().min(1).max(4096).default('keys'),
    /** Payment statuses kept across restarts (no card data); default .run/<run name>/payments.jsonl. */
    TONEWALL_PAYMENT_STATUS_FILE: z.string().min(1).max(4096).optional(),
    TONEWALL_PAYMENT_STATUS_RETAIN: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
    TONEWALL_PROCESSOR: z.enum(['sandbox', 'jwe', 'stripe']).default('sandbox'),
    TONEWALL_PROCESSOR_URL: z.url({ protocol: /^https$/ }).default('https://127.0.0.1:8443/v1/tokens'),
    TONEWALL_PROCESSOR_ENCRYPTION_CERT: z.string().min(1).max(4096).default('processor-enc-1.pem'),
    TONEWALL_PROCESSOR_KEY_ID: z.string().min(1).max(256).optional(),
    TONEWALL_PROCESSOR_CLIENT_CERT: z.string().min(1).max(4096).default('gateway-client.pem'),
    TONEWALL_PROCESSOR_CLIENT_KEY: z.string().min(1).max(4096).default('gateway-client.key'),
    TONEWALL_PROCESSOR_CA: z.string().min(1).max(4096).default('ca.pem'),
    TONEWALL_PROCESSOR_TIMEOUT_MS: milliseconds(100, 60_000).default(5000),
    TONEWALL_PROCESSOR_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    TONEWALL_PROCESSOR_BACKOFF_MS: milliseconds(10, 30_000).default(250),
    TONEWALL_PROCESSOR_BACKOFF_MAX_MS: milliseconds(10, 60_000).default(2000),
    TONEWALL_PROCESSOR_DEADLINE_MS: milliseconds(100, 300_000).default(20_000),
    /** Consecutive unreachable tokenisations that open the processor circuit breaker. */
    TONEWALL_PROCESSOR_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    TONEWALL_PROCESSOR_BREAKER_COOLDOWN_MS: milliseconds(100, 600_000).default(30_000),
    TONEWALL_STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/, 'must be a Stripe secret key')
      .optional(),
    // HTTP access: TLS, local users, sessions, sign-in limits, integration key digests, IdP JWTs.
    ...ACCESS_ENVIRONMENT,
    // Read by scripts/lib/stack.sh (Kamailio, rtpengine) and scripts/tonewall; accepted, not used here.
    ...Object.fromEntries(
      [...STACK_SETTINGS, ...SANDBOX_SETTINGS].map((name) => [name, z.string().optional()]),
    ),
  })
  .strict()
  .superRefine((env, context) => {
    if (env.TONEWALL_PROCESSOR === 'stripe' && !env.TONEWALL_STRIPE_SECRET_KEY) {
      context.addIssue({
        code: 'custom',
        path: ['TONEWALL_STRIPE_SECRET_KEY'],
        message: 'is required when TONEWALL_PROCESSOR=stripe',
      });
    }
    checkAccessSettings(env, context);
  });

export interface Config {
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly http: { readonly host: string; readonly port: number };
  /** GET /metrics bearer token (besides integration keys). */
  readonly metricsToken: string | undefined;
  /** Time limit of each /healthz probe. */
  readonly healthTimeoutMs: number;
  readonly rtpengine: {
    readonly ngHost: string;
    readonly ngPort: number;
    /** The mask hop's NG port (same address). */
    readonly maskNgPort: number;
    /** The mask hop's delay buffer outside capture and while a payment captures, ms. */
    readonly maskDelayBufferMs: number;
    readonly captureDelayBufferMs: number;
    readonly ngTimeoutMs: number;
    readonly ngRetries: number;
  };
  readonly dtmf: {
    readonly host: string;
    /** The edge rtpengine's reports (RFC 4733 events). */
    readonly port: number;
    /** The mask rtpengine's reports (in-band tones). */
    readonly tonesPort: number;
    readonly allowedSources: readonly string[];
  };
  readonly kamailio: {
    readonly evapiHost: string;
    readonly evapiPort: number;
    readonly evapiReconnectMs: number;
    readonly rpcUrl: string;
    readonly rpcTimeoutMs: number;
  };
  /** Where the customer prompts are (`<prompt id>.wav`); undefined: no prompts, the agent instructs. */
  readonly prompts: { readonly directory: string | undefined };
  /** Signs status callbacks; undefined: payments may not ask for a statusCallback. */
  readonly webhookSecret: string | undefined;
  /** Hosts status callbacks may go to; undefined: any https host (http only to loopback). */
  readonly webhookHosts: readonly string[] | undefined;
  /** The processor connector; key files are resolved against TONEWALL_KEYS_DIR. */
  readonly processor: ProcessorSettings;
  /** The circuit breaker in front of the connector (src/adapters/processors/circuit-breaker.ts). */
  readonly processorBreaker: { readonly failureThreshold: number; readonly coolDownMs: number };
  /** Who may use the HTTP API and agent UI: TLS, sign-in, sessions, keys, IdP (access-settings.ts). */
  readonly access: AccessSettings;
  /** The signed, hash-chained audit log. */
  readonly audit: AuditSettings;
  /** The payment status file (JSON lines, no card data) and how many payments it keeps. */
  readonly paymentStatus: { readonly file: string; readonly retain: number };
}

function processorSettings(env: z.infer<typeof environmentSchema>): ProcessorSettings {
  const retry = {
    maxAttempts: env.TONEWALL_PROCESSOR_MAX_ATTEMPTS,
    baseDelayMs: env.TONEWALL_PROCESSOR_BACKOFF_MS,
    maxDelayMs: env.TONEWALL_PROCESSOR_BACKOFF_MAX_MS,
    deadlineMs: env.TONEWALL_PROCESSOR_DEADLINE_MS,
  };
  const attemptTimeoutMs = env.TONEWALL_PROCESSOR_TIMEOUT_MS;
  if (env.TONEWALL_PROCESSOR === 'stripe') {
    return { kind: 'stripe', secretKey: env.TONEWALL_STRIPE_SECRET_KEY ?? '', attemptTimeoutMs, retry };
  }
  const keysDir = resolve(env.TONEWALL_ROOT ?? '.', env.TONEWALL_KEYS_DIR);
  const keyFile = (file: string) => (isAbsolute(file) ? file : resolve(keysDir, file));
  return {
    kind: env.TONEWALL_PROCESSOR,
    url: env.TONEWALL_PROCESSOR_URL,
    encryptionCertFile: keyFile(env.TONEWALL_PROCESSOR_ENCRYPTION_CERT),
    ...(env.TONEWALL_PROCESSOR_KEY_ID === undefined ? {} : { keyId: env.TONEWALL_PROCESSOR_KEY_ID }),
    clientCertFile: keyFile(env.TONEWALL_PROCESSOR_CLIENT_CERT),
    clientKeyFile: keyFile(env.TONEWALL_PROCESSOR_CLIENT_KEY),
    caFile: keyFile(env.TONEWALL_PROCESSOR_CA),
    attemptTimeoutMs,
    retry,
  };
}

function splitHostPort(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(':');
  return { host: value.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(colon + 1)) };
}

/** Both rtpengines' report destinations: one host, the mask hop's port by default the one below the edge's. */
function dtmfDestinations(
  edge: string,
  mask: string | undefined,
): { host: string; port: number; tonesPort: number } {
  const { host, port } = splitHostPort(edge);
  if (mask === undefined) return { host, port, tonesPort: port === 0 ? 0 : port - 1 };
  const tones = splitHostPort(mask);
  if (tones.host !== host || (tones.port === port && port !== 0)) {
    throw new GatewayError(
      'GW_ERR_CONFIG',
      'invalid configuration: TONEWALL_MASK_DTMF_LOG_DEST: must be on the host of TONEWALL_DTMF_LOG_DEST, on another port',
    );
  }
  return { host, port, tonesPort: tones.port };
}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses the TONEWALL_* variables of `environment` once. Throws GW_ERR_CONFIG naming every bad
 * setting (never its value: a key could be pasted into the wrong variable).
 */
export function loadConfig(environment: Readonly<Record<string, string | undefined>>): Config {
  const relevant = Object.fromEntries(
    Object.entries(environment).filter(([name, value]) => name.startsWith('TONEWALL_') && value !== ''),
  );
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown setting(s) ${issue.keys.join(', ')}`;
      return `${issue.path.join('.')}: ${issue.message}`;
    });
    throw new GatewayError('GW_ERR_CONFIG', `invalid configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  return deepFreeze({
    logLevel: env.TONEWALL_LOG_LEVEL,
    http: { host: env.TONEWALL_HTTP_HOST, port: env.TONEWALL_HTTP_PORT },
    metricsToken: env.TONEWALL_METRICS_TOKEN,
    healthTimeoutMs: env.TONEWALL_HEALTH_TIMEOUT_MS,
    rtpengine: {
      ngHost: env.TONEWALL_NG_ADDR,
      ngPort: env.TONEWALL_NG_PORT,
      maskNgPort: env.TONEWALL_MASK_NG_PORT,
      maskDelayBufferMs: env.TONEWALL_MASK_DELAY_BUFFER,
      captureDelayBufferMs: env.TONEWALL_CAPTURE_DELAY_BUFFER,
      ngTimeoutMs: env.TONEWALL_NG_TIMEOUT_MS,
      ngRetries: env.TONEWALL_NG_RETRIES,
    },
    dtmf: {
      ...dtmfDestinations(env.TONEWALL_DTMF_LOG_DEST, env.TONEWALL_MASK_DTMF_LOG_DEST),
      allowedSources: env.TONEWALL_DTMF_ALLOWED_SOURCES,
    },
    kamailio: {
      evapiHost: env.TONEWALL_EVAPI_ADDR,
      evapiPort: env.TONEWALL_EVAPI_PORT,
      evapiReconnectMs: env.TONEWALL_EVAPI_RECONNECT_MS,
      rpcUrl: `http://${bracketed(env.TONEWALL_RPC_ADDR)}:${env.TONEWALL_RPC_PORT}/RPC`,
      rpcTimeoutMs: env.TONEWALL_RPC_TIMEOUT_MS,
    },
    prompts: { directory: env.TONEWALL_PROMPTS_DIR },
    webhookSecret: env.TONEWALL_WEBHOOK_SECRET,
    webhookHosts: env.TONEWALL_WEBHOOK_HOSTS?.map((host) => host.toLowerCase()),
    processor: processorSettings(env),
    processorBreaker: {
      failureThreshold: env.TONEWALL_PROCESSOR_BREAKER_FAILURES,
      coolDownMs: env.TONEWALL_PROCESSOR_BREAKER_COOLDOWN_MS,
    },
    access: accessSettings(env),
    audit: auditSettings(env),
    paymentStatus: {
      file: resolve(
        env.TONEWALL_ROOT ?? '.',
        env.TONEWALL_PAYMENT_STATUS_FILE ?? join('.run', env.TONEWALL_RUN_NAME ?? 'dev', 'payments.jsonl'),
      ),
      retain: env.TONEWALL_PAYMENT_STATUS_RETAIN,
    },
  });
}
