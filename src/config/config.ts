import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Language } from '../domain/language/languages.js';
import { GatewayError } from '../errors.js';
import { type AccessSettings, accessSettings, checkAccessSettings } from './access-settings.js';
import { type AuditSettings, auditSettings } from './audit-settings.js';
import { splitHostPort } from './host-port.js';
import type { ProcessorSettings } from './processor-settings.js';
import { shapeOf } from './registry/setting.js';
import { withSecretFiles } from './secret-files.js';
import { declaredSettings, SETTINGS } from './settings-registry.js';
import {
  checkStateStoreSettings,
  type StateStoreSettings,
  stateStoreSettings,
} from './state-store-settings.js';
import { checkWebhookSettings, type WebhookSettings, webhookSettings } from './webhook-settings.js';

/**
 * Every setting of the registry (settings-registry.ts), as environment variables. The schema is
 * strict: an unknown TONEWALL_* variable is a typo and stops start-up rather than being ignored.
 * Settings only the stack scripts or the sandbox read are checked here too, so one environment
 * serves them all and `./scripts/tonewall config check` finds their mistakes before anything starts.
 */
const environmentSchema = z
  .object(shapeOf(SETTINGS))
  .strict()
  .superRefine((env, context) => {
    if (env.TONEWALL_PROCESSOR === 'stripe' && !env.TONEWALL_STRIPE_SECRET_KEY) {
      context.addIssue({
        code: 'custom',
        path: ['TONEWALL_STRIPE_SECRET_KEY'],
        message: 'is required when TONEWALL_PROCESSOR=stripe',
      });
    }
    if (env.TONEWALL_RTP_PORT_MIN >= env.TONEWALL_RTP_PORT_MAX) {
      context.addIssue({
        code: 'custom',
        path: ['TONEWALL_RTP_PORT_MAX'],
        message: 'must be above TONEWALL_RTP_PORT_MIN',
      });
    }
    checkAccessSettings(env, context);
    checkWebhookSettings(env, context);
    checkStateStoreSettings(env, context);
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
    /** The mute hop's NG port (same address): the customer's audio stops there while a payment captures. */
    readonly muteNgPort: number;
    /** The edge's delay buffer for telephone-event customers (as Kamailio blocks it; the probe uses it), ms. */
    readonly edgeDelayBufferMs: number;
    /** The mask hop's delay buffer (as Kamailio blocks it at answer; the report-path probe uses it), ms. */
    readonly maskDelayBufferMs: number;
    /** How long after a payment ends its call's audio is let through again, ms. */
    readonly unmuteDelayMs: number;
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
  /**
   * Where the customer prompts are (`<language>/<prompt id>.wav`); undefined (no TONEWALL_PROMPTS_DIR, or
   * TONEWALL_PROMPTS=off): no prompts, the agent instructs. `defaultLanguage`: a payment's that names none.
   */
  readonly prompts: {
    readonly directory: string | undefined;
    readonly defaultLanguage: Language;
    /** A charge reads its amount back unless its request says otherwise (TONEWALL_AMOUNT_READBACK). */
    readonly readBack: boolean;
  };
  /** Status callbacks (webhook-settings.ts); undefined: off, payments may not ask for a statusCallback. */
  readonly webhooks: WebhookSettings | undefined;
  /** The processor connector; key files are resolved against TONEWALL_KEYS_DIR. */
  readonly processor: ProcessorSettings;
  /** The circuit breaker in front of the connector (src/adapters/processors/circuit-breaker.ts). */
  readonly processorBreaker: { readonly failureThreshold: number; readonly coolDownMs: number };
  /** Charges of unknown outcome (application/payments/charge-reconciler.ts). */
  readonly reconcile: { readonly intervalMs: number; readonly nothingAfterMs: number };
  /** Who may use the HTTP API and agent UI: TLS, sign-in, sessions, keys, IdP (access-settings.ts). */
  readonly access: AccessSettings;
  /** The signed, hash-chained audit log. */
  readonly audit: AuditSettings;
  /** The payment status file (JSON lines, no card data) and how many payments it keeps. */
  readonly paymentStatus: { readonly file: string; readonly retain: number };
  /** The embedded SQLite store (src/adapters/store/state-database.ts). */
  readonly stateDb: string;
  /** Where state shared by several gateways lives (embedded: the two above; docs/operations.md). */
  readonly stateStore: StateStoreSettings;
  /** Back-pressure: when new payments are refused (application/payments/load-shedding.ts). */
  readonly loadShedding: {
    readonly maxInProgress: number;
    readonly cpuPercent: number;
    readonly windowS: number;
  };
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

/** The secret settings: each may be given as a file, `<NAME>_FILE` (secret-files.ts). */
const SECRET_SETTINGS = declaredSettings()
  .filter((setting) => setting.secret)
  .map((setting) => setting.name);

/**
 * Parses the TONEWALL_* variables of `environment` once. Throws GW_ERR_CONFIG naming every bad
 * setting (never its value: a key could be pasted into the wrong variable).
 */
export function loadConfig(environment: Readonly<Record<string, string | undefined>>): Config {
  const relevant = Object.fromEntries(
    Object.entries(withSecretFiles(environment, SECRET_SETTINGS)).filter(
      ([name, value]) => name.startsWith('TONEWALL_') && value !== '',
    ),
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
      muteNgPort: env.TONEWALL_MUTE_NG_PORT,
      edgeDelayBufferMs: env.TONEWALL_EDGE_DELAY_BUFFER,
      maskDelayBufferMs: env.TONEWALL_MASK_DELAY_BUFFER,
      unmuteDelayMs: env.TONEWALL_UNMUTE_DELAY_MS,
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
    prompts: {
      directory: env.TONEWALL_PROMPTS === 'off' ? undefined : env.TONEWALL_PROMPTS_DIR,
      defaultLanguage: env.TONEWALL_DEFAULT_LANGUAGE,
      readBack: env.TONEWALL_AMOUNT_READBACK === 'on',
    },
    webhooks: webhookSettings(env),
    processor: processorSettings(env),
    reconcile: {
      intervalMs: env.TONEWALL_RECONCILE_INTERVAL_MS,
      nothingAfterMs: env.TONEWALL_RECONCILE_NOTHING_AFTER_MS,
    },
    processorBreaker: {
      failureThreshold: env.TONEWALL_PROCESSOR_BREAKER_FAILURES,
      coolDownMs: env.TONEWALL_PROCESSOR_BREAKER_COOLDOWN_MS,
    },
    access: accessSettings(env),
    audit: auditSettings(env),
    paymentStatus: {
      file: resolve(
        env.TONEWALL_ROOT ?? '.',
        env.TONEWALL_PAYMENT_STATUS_FILE ?? join('.run', env.TONEWALL_RUN_NAME, 'payments.jsonl'),
      ),
      retain: env.TONEWALL_PAYMENT_STATUS_RETAIN,
    },
    stateDb: resolve(
      env.TONEWALL_ROOT ?? '.',
      env.TONEWALL_STATE_DB ?? join('.run', env.TONEWALL_RUN_NAME, 'state.sqlite'),
    ),
    stateStore: stateStoreSettings(env),
    loadShedding: {
      maxInProgress: env.TONEWALL_MAX_PAYMENTS_IN_PROGRESS,
      cpuPercent: env.TONEWALL_OVERLOAD_CPU_PERCENT,
      windowS: env.TONEWALL_OVERLOAD_WINDOW_S,
    },
  });
}
