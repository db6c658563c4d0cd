import { z } from 'zod';
import { DEFAULT_LANGUAGE, LANGUAGES } from '../../domain/language/languages.js';
import { host, integer, onOff, path, portOrAny, setting } from './setting.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The gateway process itself: HTTP, logs, the run's folders, prompts. */
export const GATEWAY_SETTINGS = {
  TONEWALL_HTTP_HOST: setting({
    type: host,
    default: '127.0.0.1',
    readBy: ['gateway', 'scripts'],
    doc: 'address of the gateway HTTP server (API, agent desktop, SSE, `/healthz`, `/metrics`)',
  }),
  TONEWALL_HTTP_PORT: setting({
    type: portOrAny,
    default: '8080',
    readBy: ['gateway', 'scripts'],
    doc: 'its port (0: any free port)',
  }),
  TONEWALL_API_KEY: setting({
    type: z.string().min(16, 'must be at least 16 characters').max(256),
    secret: true,
    readBy: ['gateway', 'scripts'],
    doc: 'a development integration key (16+ characters) with full API access; `demo` makes one when unset',
  }),
  TONEWALL_LOG_LEVEL: setting({
    type: z.enum(LOG_LEVELS),
    default: 'info',
    readBy: ['gateway', 'sandbox'],
    doc: 'pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`',
  }),
  TONEWALL_METRICS_TOKEN: setting({
    type: z.string().min(16, 'must be at least 16 characters').max(512),
    secret: true,
    readBy: ['gateway'],
    doc: 'bearer token for `/metrics` (16+ characters; an integration key works too)',
  }),
  TONEWALL_HEALTH_TIMEOUT_MS: setting({
    type: integer(50, 10_000),
    default: '500',
    readBy: ['gateway'],
    doc: 'limit of each `/healthz` probe (the rtpengine ping: one attempt), ms',
  }),
  TONEWALL_PROMPTS: setting({
    type: onOff,
    default: 'on',
    readBy: ['gateway', 'scripts'],
    doc: 'customer prompts spoken by rtpengine; `off`: none are made or played, the agent gives the instructions',
  }),
  TONEWALL_PROMPTS_DIR: setting({
    type: path,
    defaultText: 'made by `up`',
    readBy: ['gateway', 'scripts'],
    doc: 'the prompts (`<language>/<prompt id>.wav`, checked at start and in `/healthz`); unset: `up` makes them in `.run/prompts/<voice>`, the gateway without `up` plays none',
  }),
  TONEWALL_PROMPT_VOICE: setting({
    type: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_+-]{0,63}$/, 'must be an espeak-ng voice name'),
    default: 'en-gb',
    readBy: ['scripts'],
    doc: 'the espeak-ng voice `up` speaks the en-GB prompts with (`scripts/make-prompts.ts --voice`); every other language speaks with its catalogue’s voice',
  }),
  TONEWALL_PROMPTS_RECORDED_DIR: setting({
    type: path,
    default: 'prompts/recorded',
    readBy: ['scripts'],
    doc: 'recorded prompts that replace spoken ones: `<language>/<prompt id>.wav` there (any rate; made 8 kHz mono) is used instead of espeak-ng',
  }),
  TONEWALL_AMOUNT_READBACK: setting({
    type: onOff,
    default: 'on',
    readBy: ['gateway'],
    doc: 'a charge says its amount and currency to the customer before it is made and waits for # (confirm) or * (cancel), unless its create body says `readBack: false`; needs prompts (none without `TONEWALL_PROMPTS_DIR`)',
  }),
  TONEWALL_DEFAULT_LANGUAGE: setting({
    type: z.enum(LANGUAGES),
    default: DEFAULT_LANGUAGE,
    readBy: ['gateway'],
    doc: `the customer's language of a payment that names none (\`language\`): ${LANGUAGES.join(', ')}`,
  }),
  TONEWALL_ROOT: setting({
    type: path,
    defaultText: 'the project folder',
    readBy: ['gateway', 'stack', 'scripts', 'sandbox'],
    doc: '`scripts/tonewall` sets it; relative paths (keys, run folder) start here',
  }),
  TONEWALL_SERVICE_USERS: setting({
    type: onOff,
    default: 'on',
    readBy: ['scripts'],
    doc: '`up` run by root starts the gateway as `tonewall` (CAP_NET_BIND_SERVICE alone, group `tonewall-audit`) and the audit signer as `tonewall-signer`, system users it makes, and gives each only its own keys and files (scripts/lib/service-users.sh): the gateway cannot read the signing key. `off`: both run as the user that starts them',
  }),
  TONEWALL_RUN_NAME: setting({
    type: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 of a-z, 0-9 and -'),
    default: 'dev',
    readBy: ['gateway', 'scripts'],
    doc: 'the run: `.run/<run>/` holds its pid files, logs, audit log, users and payment statuses',
  }),
  TONEWALL_KEYS_DIR: setting({
    type: path,
    default: 'keys',
    readBy: ['gateway', 'scripts', 'sandbox', 'stack'],
    doc: 'where key and certificate files are ([keys/README.md](keys/README.md)); relative key file settings start here',
  }),
  TONEWALL_PAYMENT_STATUS_FILE: setting({
    type: path,
    defaultText: '`.run/<run>/payments.jsonl`',
    readBy: ['gateway'],
    doc: 'payment statuses kept across restarts (JSON lines, mode 0600, no card data)',
  }),
  TONEWALL_STATE_DB: setting({
    type: path,
    defaultText: '`.run/<run>/state.sqlite`',
    readBy: ['gateway'],
    doc: 'the embedded store (SQLite, mode 0600, no card data): idempotency keys, charges awaiting reconciliation, the status callback queue',
  }),
  TONEWALL_PAYMENT_STATUS_RETAIN: setting({
    type: integer(100, 1_000_000),
    default: '10000',
    readBy: ['gateway'],
    doc: 'how many payments the status file keeps',
  }),
} as const;
