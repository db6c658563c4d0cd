import { isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import type { IntegrationKeyDigest } from '../domain/access/integration-key-digest.js';
import { SCOPES } from '../domain/access/scopes.js';
import { sha256Hex } from '../domain/sha256.js';
import type { ACCESS_SETTINGS } from './registry/access.js';
import type { ValuesOf } from './registry/setting.js';

/**
 * Who may use the HTTP API and the agent UI, and how they prove it: TLS, local users, sessions,
 * sign-in throttling, integration keys (as SHA-256 digests) and bearer JWTs from an identity provider.
 * The settings are declared in registry/access.ts; this file builds the gateway's access settings from them.
 */

type AccessEnvironment = ValuesOf<typeof ACCESS_SETTINGS> & {
  readonly TONEWALL_API_KEY?: string | undefined;
  readonly TONEWALL_ROOT?: string | undefined;
  readonly TONEWALL_KEYS_DIR: string;
  readonly TONEWALL_RUN_NAME: string;
  readonly TONEWALL_HTTP_HOST: string;
};

export interface JwtSettings {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
  readonly roleClaim: string;
  readonly agentClaim: string;
  /** The claim holding an agent's own limit per payment (the users file's `maxAmount` for IdP users). */
  readonly maxAmountClaim: string;
  readonly algorithms: readonly string[];
  /** Seconds after `iat` a token is refused. */
  readonly maxAgeS: number;
}

export interface AgentPaymentLimits {
  /** Decimal string, e.g. `500.00`. */
  readonly maxAmount: string;
  /** Lower-case ISO 4217 codes. */
  readonly currencies: readonly string[];
}

export interface AccessSettings {
  /** PEM files for HTTPS; undefined: plain HTTP (loopback, or behind a trusted TLS proxy). */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** express's `trust proxy`: the TLS-terminating proxies whose forwarded headers are believed. */
  readonly trustProxy: readonly string[] | undefined;
  /** The local users file (scripts/users.ts writes it); read on every sign-in. */
  readonly usersFile: string;
  readonly localSignIn: boolean;
  readonly session: { readonly idleMs: number; readonly absoluteMs: number };
  readonly signIn: { readonly maxAttempts: number; readonly windowMs: number };
  /** A TOTP code at every local sign-in. */
  readonly mfaRequired: boolean;
  /** What a person (not an integration) may start a payment with. */
  readonly agentLimits: AgentPaymentLimits;
  /** A local account is locked after `failures` failed sign-ins, for `ms`. */
  readonly lockout: { readonly failures: number; readonly ms: number };
  readonly integrationKeys: readonly IntegrationKeyDigest[];
  readonly jwt: JwtSettings | undefined;
}

/** An address only this host can reach (a bind address, or a URL's host name). */
export function isLoopbackHost(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || ['::1', '[::1]', 'localhost'].includes(host);
}

/** Cross-field rules, reported like any other setting problem (names, never values). */
export function checkAccessSettings(env: AccessEnvironment, context: z.RefinementCtx): void {
  const issue = (path: string, message: string) =>
    context.addIssue({ code: 'custom', path: [path], message });
  if ((env.TONEWALL_HTTP_TLS_CERT === undefined) !== (env.TONEWALL_HTTP_TLS_KEY === undefined)) {
    issue('TONEWALL_HTTP_TLS_KEY', 'TONEWALL_HTTP_TLS_CERT and TONEWALL_HTTP_TLS_KEY go together');
  }
  // Sign-in passwords and session cookies never cross a network in clear.
  if (
    !isLoopbackHost(env.TONEWALL_HTTP_HOST) &&
    env.TONEWALL_HTTP_TLS_CERT === undefined &&
    env.TONEWALL_TRUST_PROXY === undefined
  ) {
    issue(
      'TONEWALL_HTTP_HOST',
      'is not a loopback address: set TONEWALL_HTTP_TLS_CERT and _KEY, or TONEWALL_TRUST_PROXY for the TLS proxy in front',
    );
  }
  const jwt = [env.TONEWALL_JWT_JWKS_URL, env.TONEWALL_JWT_ISSUER, env.TONEWALL_JWT_AUDIENCE];
  if (jwt.some((value) => value !== undefined) && !jwt.every((value) => value !== undefined)) {
    issue('TONEWALL_JWT_JWKS_URL', 'TONEWALL_JWT_JWKS_URL, _ISSUER and _AUDIENCE go together');
  }
  if (env.TONEWALL_JWT_JWKS_URL !== undefined) {
    const url = new URL(env.TONEWALL_JWT_JWKS_URL);
    if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) {
      issue('TONEWALL_JWT_JWKS_URL', 'must be https unless on loopback');
    }
  }
}

export function accessSettings(env: AccessEnvironment): AccessSettings {
  const root = resolve(env.TONEWALL_ROOT ?? '.');
  const keysDir = resolve(root, env.TONEWALL_KEYS_DIR);
  const keyFile = (file: string) => (isAbsolute(file) ? file : resolve(keysDir, file));
  const integrationKeys: IntegrationKeyDigest[] = (env.TONEWALL_API_KEY_SHA256 ?? []).map((entry, index) => {
    const [identity = '', scopes = '', expiry = ''] = entry.split('/');
    const colon = identity.indexOf(':');
    return {
      name: colon < 0 ? `key-${index + 1}` : identity.slice(0, colon),
      sha256: identity.slice(colon + 1).toLowerCase(),
      scopes: scopes.toLowerCase().split('+'),
      expiresAt: Date.parse(`${expiry}T00:00:00Z`),
    };
  });
  if (env.TONEWALL_API_KEY !== undefined) {
    // the development key: every scope, no expiry (DESIGN.md)
    integrationKeys.push({
      name: 'development-key',
      sha256: sha256Hex(env.TONEWALL_API_KEY),
      scopes: [...SCOPES],
    });
  }
  const {
    TONEWALL_JWT_JWKS_URL: jwksUrl,
    TONEWALL_JWT_ISSUER: issuer,
    TONEWALL_JWT_AUDIENCE: audience,
  } = env;
  return {
    tls:
      env.TONEWALL_HTTP_TLS_CERT !== undefined && env.TONEWALL_HTTP_TLS_KEY !== undefined
        ? { certFile: keyFile(env.TONEWALL_HTTP_TLS_CERT), keyFile: keyFile(env.TONEWALL_HTTP_TLS_KEY) }
        : undefined,
    trustProxy: env.TONEWALL_TRUST_PROXY,
    usersFile: resolve(root, env.TONEWALL_USERS_FILE ?? `.run/${env.TONEWALL_RUN_NAME}/users.json`),
    localSignIn: env.TONEWALL_LOCAL_SIGNIN === 'on',
    session: { idleMs: env.TONEWALL_SESSION_IDLE_MS, absoluteMs: env.TONEWALL_SESSION_MAX_MS },
    signIn: { maxAttempts: env.TONEWALL_SIGNIN_MAX_ATTEMPTS, windowMs: env.TONEWALL_SIGNIN_WINDOW_MS },
    mfaRequired: env.TONEWALL_MFA === 'required',
    agentLimits: {
      maxAmount: env.TONEWALL_AGENT_MAX_AMOUNT,
      currencies: env.TONEWALL_AGENT_CURRENCIES.map((code) => code.toLowerCase()),
    },
    lockout: { failures: env.TONEWALL_LOCKOUT_FAILURES, ms: env.TONEWALL_LOCKOUT_MS },
    integrationKeys,
    jwt:
      jwksUrl !== undefined && issuer !== undefined && audience !== undefined
        ? {
            jwksUrl,
            issuer,
            audience,
            roleClaim: env.TONEWALL_JWT_ROLE_CLAIM,
            agentClaim: env.TONEWALL_JWT_AGENT_CLAIM,
            maxAmountClaim: env.TONEWALL_JWT_MAX_AMOUNT_CLAIM,
            algorithms: env.TONEWALL_JWT_ALGORITHMS,
            maxAgeS: env.TONEWALL_JWT_MAX_AGE_S,
          }
        : undefined,
  };
}
