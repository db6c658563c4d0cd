import { z } from 'zod';
import { integer, onOff, path, setting } from './setting.js';

export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
] as const;

const claimName = z.string().regex(/^[A-Za-z0-9_:./-]{1,128}$/, 'must be a claim name');
const splitList = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
/** What express's `trust proxy` takes: a named range, or an IPv4/IPv6 address with an optional prefix. */
const trustedProxy = z
  .string()
  .regex(
    /^(loopback|linklocal|uniquelocal|[0-9.]{7,15}(\/\d{1,2})?|[0-9a-fA-F:]{2,39}(\/\d{1,3})?)$/,
    'must be loopback, linklocal, uniquelocal, or an address or CIDR',
  );
/** `[name:]hexdigest/scope+scope/YYYY-MM-DD` (a bare digest is named `key-<n>`). */
const keyDigestEntry = z
  .string()
  .regex(
    /^([a-z0-9][a-z0-9._-]{0,63}:)?[0-9a-f]{64}\/(payments:write|payments:read|calls:read|calls:write|audit:read)(\+(payments:write|payments:read|calls:read|calls:write|audit:read)){0,4}\/\d{4}-\d{2}-\d{2}$/i,
    'must be [name:]<64 hex digits of SHA-256>/<scope>[+<scope>…]/<expiry YYYY-MM-DD> (`tonewall api-key` makes one)',
  )
  .refine((entry) => !Number.isNaN(Date.parse(`${entry.slice(-10)}T00:00:00Z`)), 'has no valid expiry date');

/** Who may use the HTTP API and the agent desktop: TLS, local users, sessions, sign-in limits, keys, IdP JWTs. */
export const ACCESS_SETTINGS = {
  TONEWALL_HTTP_TLS_CERT: setting({
    type: path,
    readBy: ['gateway'],
    doc: 'HTTPS for the API and desktop: the certificate (PEM; relative to `TONEWALL_KEYS_DIR`); with `TONEWALL_HTTP_TLS_KEY`',
  }),
  TONEWALL_HTTP_TLS_KEY: setting({
    type: path,
    readBy: ['gateway'],
    doc: 'its private key; unset: plain HTTP (loopback development only)',
  }),
  TONEWALL_TRUST_PROXY: setting({
    type: z.string().transform(splitList).pipe(z.array(trustedProxy).min(1).max(32)),
    readBy: ['gateway'],
    doc: 'the TLS-terminating proxies in front of the gateway, comma-separated (`loopback`, `uniquelocal`, an address or CIDR): their `X-Forwarded-For`/`-Proto`/`-Host` are believed, and cookies are `Secure`. Without it or TLS the gateway binds to loopback only',
  }),
  TONEWALL_USERS_FILE: setting({
    type: path,
    defaultText: '`.run/<run>/users.json`',
    readBy: ['gateway', 'scripts'],
    doc: 'local agent-desktop users (scrypt-hashed, mode 0600; `./scripts/tonewall users add`)',
  }),
  TONEWALL_LOCAL_SIGNIN: setting({
    type: onOff,
    default: 'on',
    readBy: ['gateway'],
    doc: 'sign-in with the local users; `off` with an identity provider',
  }),
  TONEWALL_SESSION_IDLE_MS: setting({
    type: integer(60_000, 86_400_000),
    default: '900000',
    readBy: ['gateway'],
    doc: 'a desktop session ends after this long idle, ms',
  }),
  TONEWALL_SESSION_MAX_MS: setting({
    type: integer(300_000, 604_800_000),
    default: '43200000',
    readBy: ['gateway'],
    doc: 'and after this long in all, ms',
  }),
  TONEWALL_SIGNIN_MAX_ATTEMPTS: setting({
    type: integer(1, 100),
    default: '5',
    readBy: ['gateway'],
    doc: 'failed sign-ins allowed per address and user name in the window',
  }),
  TONEWALL_SIGNIN_WINDOW_MS: setting({
    type: integer(10_000, 86_400_000),
    default: '900000',
    readBy: ['gateway'],
    doc: 'the sign-in throttling window, ms',
  }),
  TONEWALL_MFA: setting({
    type: z.enum(['required', 'off']),
    default: 'required',
    readBy: ['gateway'],
    doc: 'a one-time code (TOTP, RFC 6238) at every local sign-in, for every role; `off` only for a demo (the desk and the log then say so)',
  }),
  TONEWALL_LOCKOUT_FAILURES: setting({
    type: integer(1, 10),
    default: '10',
    readBy: ['gateway'],
    doc: 'failed sign-ins (password or code) after which a local account is locked, from any address (PCI DSS 8.3.4: at most 10)',
  }),
  TONEWALL_LOCKOUT_MS: setting({
    type: integer(1_800_000, 86_400_000),
    default: '1800000',
    readBy: ['gateway'],
    doc: 'how long a locked account stays locked, ms (at least 30 minutes)',
  }),
  TONEWALL_AGENT_MAX_AMOUNT: setting({
    type: z.string().regex(/^\d{1,12}(\.\d{1,3})?$/, 'must be a decimal amount such as "500.00"'),
    default: '500.00',
    readBy: ['gateway'],
    doc: 'the largest `chargeAmount` a person (agent) may start a payment with; integrations are not limited',
  }),
  TONEWALL_AGENT_CURRENCIES: setting({
    type: z
      .string()
      .transform(splitList)
      .pipe(
        z
          .array(z.string().regex(/^[A-Za-z]{3}$/, 'must be ISO 4217 codes'))
          .min(1)
          .max(32),
      ),
    default: 'GBP',
    readBy: ['gateway'],
    doc: 'the currencies a person (agent) may charge in, comma-separated; a reusable token type and a `statusCallback` need an integration key',
  }),
  TONEWALL_API_KEY_SHA256: setting({
    type: z.string().transform(splitList).pipe(z.array(keyDigestEntry).min(1)),
    readBy: ['gateway'],
    doc: "integration keys as SHA-256 digests with their scopes and expiry, `[name:]hex/scope+scope/YYYY-MM-DD`, comma-separated (`./scripts/tonewall api-key` makes one; the keys themselves are never kept). Scopes: `payments:write`, `payments:read`, `calls:read`, `calls:write` (name a call's agent), `audit:read`; a key stops working at 00:00 UTC of its expiry date",
  }),
  TONEWALL_JWT_JWKS_URL: setting({
    type: z.url({ protocol: /^https?$/ }).max(2048),
    readBy: ['gateway'],
    doc: 'identity provider JWTs: its JWKS (https, http only on loopback); with `_ISSUER` and `_AUDIENCE`',
  }),
  TONEWALL_JWT_ISSUER: setting({
    type: z.string().min(1).max(1024),
    readBy: ['gateway'],
    doc: "the JWTs' required issuer",
  }),
  TONEWALL_JWT_AUDIENCE: setting({
    type: z.string().min(1).max(1024),
    readBy: ['gateway'],
    doc: 'their required audience',
  }),
  TONEWALL_JWT_MAX_AGE_S: setting({
    type: integer(60, 86_400),
    default: '3600',
    readBy: ['gateway'],
    doc: 'an IdP token is refused this long after its `iat` (required), whatever its `exp`, s',
  }),
  TONEWALL_JWT_ROLE_CLAIM: setting({
    type: claimName,
    default: 'roles',
    readBy: ['gateway'],
    doc: 'the claim holding the roles (`agent`, `supervisor`, `auditor`, `admin`)',
  }),
  TONEWALL_JWT_AGENT_CLAIM: setting({
    type: claimName,
    default: 'agent_id',
    readBy: ['gateway'],
    doc: 'the claim holding the agent id',
  }),
  TONEWALL_JWT_MAX_AMOUNT_CLAIM: setting({
    type: claimName,
    default: 'max_amount',
    readBy: ['gateway'],
    doc: 'the claim holding an agent\'s own limit per payment they start themselves (a decimal such as `"50.00"`, like a local user\'s `maxAmount`); without it, `TONEWALL_AGENT_MAX_AMOUNT`; a token whose claim is not such an amount is refused',
  }),
  TONEWALL_JWT_ALGORITHMS: setting({
    type: z
      .string()
      .transform(splitList)
      .pipe(z.array(z.enum(JWT_ALGORITHMS)).min(1)),
    default: 'RS256,PS256,ES256,EdDSA',
    readBy: ['gateway'],
    doc: 'signature algorithms accepted (comma-separated)',
  }),
} as const;
