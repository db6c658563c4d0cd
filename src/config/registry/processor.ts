import { z } from 'zod';
import { integer, path, setting } from './setting.js';

/** The processor connector, its retry policy and circuit breaker. */
export const PROCESSOR_SETTINGS = {
  TONEWALL_PROCESSOR: setting({
    type: z.enum(['sandbox', 'jwe', 'stripe']),
    default: 'sandbox',
    readBy: ['gateway', 'scripts'],
    doc: "`sandbox` (the project's test processor, which `up` starts), `jwe` (any HTTPS/JWE processor) or `stripe`",
  }),
  TONEWALL_PROCESSOR_URL: setting({
    type: z.url({ protocol: /^https$/ }),
    default: 'https://127.0.0.1:8443/v1/tokens',
    readBy: ['gateway'],
    doc: "the JWE connector's endpoint (https)",
  }),
  TONEWALL_PROCESSOR_ENCRYPTION_CERT: setting({
    type: path,
    default: 'processor-enc-1.pem',
    readBy: ['gateway'],
    doc: "the processor's encryption certificate (the card payload is JWE-encrypted to it); relative to `TONEWALL_KEYS_DIR`",
  }),
  TONEWALL_PROCESSOR_KEY_ID: setting({
    type: z.string().min(1).max(256),
    defaultText: 'from the certificate',
    readBy: ['gateway'],
    doc: 'the `kid` of that key, when the processor names its keys',
  }),
  TONEWALL_PROCESSOR_CLIENT_CERT: setting({
    type: path,
    default: 'gateway-client.pem',
    readBy: ['gateway'],
    doc: "the gateway's mTLS client certificate",
  }),
  TONEWALL_PROCESSOR_CLIENT_KEY: setting({
    type: path,
    default: 'gateway-client.key',
    readBy: ['gateway'],
    doc: 'its private key',
  }),
  TONEWALL_PROCESSOR_CA: setting({
    type: path,
    default: 'ca.pem',
    readBy: ['gateway'],
    doc: "the CA the processor's server certificate must chain to",
  }),
  TONEWALL_PROCESSOR_TIMEOUT_MS: setting({
    type: integer(100, 60_000),
    default: '5000',
    readBy: ['gateway'],
    doc: 'limit of one attempt, ms',
  }),
  TONEWALL_PROCESSOR_MAX_ATTEMPTS: setting({
    type: integer(1, 10),
    default: '3',
    readBy: ['gateway'],
    doc: 'attempts per tokenisation, all with one idempotency key',
  }),
  TONEWALL_PROCESSOR_BACKOFF_MS: setting({
    type: integer(10, 30_000),
    default: '250',
    readBy: ['gateway'],
    doc: 'first back-off between attempts, ms (doubles, with jitter)',
  }),
  TONEWALL_PROCESSOR_BACKOFF_MAX_MS: setting({
    type: integer(10, 60_000),
    default: '2000',
    readBy: ['gateway'],
    doc: 'longest back-off, ms',
  }),
  TONEWALL_PROCESSOR_DEADLINE_MS: setting({
    type: integer(100, 300_000),
    default: '20000',
    readBy: ['gateway'],
    doc: 'limit of a tokenisation with all its attempts, ms',
  }),
  TONEWALL_RECONCILE_INTERVAL_MS: setting({
    type: integer(100, 3_600_000),
    default: '30000',
    readBy: ['gateway'],
    doc: 'how often charges of unknown outcome are looked up at the processor, ms (and once at start)',
  }),
  TONEWALL_RECONCILE_NOTHING_AFTER_MS: setting({
    type: integer(0, 86_400_000),
    default: '120000',
    readBy: ['gateway'],
    doc: 'how long after a charge was sent the processor\'s "no request under this key" settles it as not charged, ms',
  }),
  TONEWALL_PROCESSOR_BREAKER_FAILURES: setting({
    type: integer(1, 100),
    default: '5',
    readBy: ['gateway'],
    doc: 'consecutive unreachable tokenisations that open the circuit breaker in front of the processor',
  }),
  TONEWALL_PROCESSOR_BREAKER_COOLDOWN_MS: setting({
    type: integer(100, 600_000),
    default: '30000',
    readBy: ['gateway'],
    doc: 'how long the breaker stays open, ms',
  }),
  TONEWALL_STRIPE_SECRET_KEY: setting({
    type: z.string().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/, 'must be a Stripe secret key'),
    secret: true,
    readBy: ['gateway'],
    doc: 'required with `TONEWALL_PROCESSOR=stripe`',
  }),
} as const;
