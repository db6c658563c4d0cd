import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import type { BearerTokenVerifier } from '../../application/access/bearer-token-verifier.js';
import { isRole, type Principal, type Role } from '../../application/access/principal.js';
import type { Clock } from '../../application/clock.js';
import type { JwtSettings } from '../../config/access-settings.js';
import { GatewayError } from '../../errors.js';

export interface JwtVerifierOptions extends JwtSettings {
  /** Clock for `exp`/`nbf` checks. */
  readonly clock: Clock;
  readonly timeoutMs?: number;
}

/** An agent's own limit per payment, as the users file's `maxAmount` takes it. */
const AMOUNT = /^\d{1,12}(\.\d{1,3})?$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const UNAVAILABLE_CODES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

/** Reads a claim by name, or by a dotted path into nested objects (Keycloak's `realm_access.roles`). */
function claimAt(payload: JWTPayload, name: string): unknown {
  if (name in payload) return payload[name];
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Bearer JWTs from the contact centre's identity provider, checked against its JWKS (fetched, cached
 * and refreshed by jose on an unknown `kid`): signature, allowed algorithms, `iss`, `aud`, `exp`
 * (required), `nbf`, `sub` (required), `iat` (required, at most `maxAgeS` ago). The role claim (string, space-separated string or array)
 * maps to tonewall roles; values that are not tonewall roles are ignored. The max-amount claim, when
 * present, is the agent's own limit per payment (a decimal string or number); a token whose claim is
 * not such an amount is refused rather than given the configured limit.
 */
export class JwtVerifier implements BearerTokenVerifier {
  readonly #options: JwtVerifierOptions;
  readonly #keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(options: JwtVerifierOptions) {
    this.#options = options;
    this.#keys = createRemoteJWKSet(new URL(options.jwksUrl), {
      timeoutDuration: options.timeoutMs ?? 5000,
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    });
  }

  looksLikeToken(token: string): boolean {
    return JWT_SHAPE.test(token);
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#keys, {
        issuer: this.#options.issuer,
        audience: this.#options.audience,
        algorithms: [...this.#options.algorithms],
        requiredClaims: ['exp', 'sub', 'iat'],
        maxTokenAge: this.#options.maxAgeS,
        clockTolerance: 30,
        currentDate: new Date(this.#options.clock.now()),
      }));
    } catch (error) {
      throw mapJoseError(error);
    }
    const roles = rolesOf(claimAt(payload, this.#options.roleClaim));
    if (roles.length === 0)
      throw new GatewayError('GW_ERR_FORBIDDEN', 'bearer token grants no tonewall role');
    const agentClaim = claimAt(payload, this.#options.agentClaim);
    const agentId = typeof agentClaim === 'string' && agentClaim.length > 0 ? agentClaim : undefined;
    if (roles.includes('agent') && agentId === undefined) {
      throw new GatewayError(
        'GW_ERR_FORBIDDEN',
        `bearer token has the agent role but no "${this.#options.agentClaim}" claim`,
      );
    }
    const maxAmount = this.#maxAmountOf(payload);
    const name = payload.name;
    return {
      kind: 'user',
      subject: String(payload.sub),
      displayName: typeof name === 'string' && name.length > 0 ? name.slice(0, 128) : String(payload.sub),
      roles,
      ...(agentId === undefined ? {} : { agentId }),
      ...(maxAmount === undefined ? {} : { maxAmount }),
      source: 'idp',
      expiresAt: Math.min(Number(payload.exp), Number(payload.iat) + this.#options.maxAgeS) * 1000,
    };
  }

  #maxAmountOf(payload: JWTPayload): string | undefined {
    const claim = claimAt(payload, this.#options.maxAmountClaim);
    if (claim === undefined) return undefined;
    const text = typeof claim === 'number' && Number.isFinite(claim) ? String(claim) : claim;
    if (typeof text !== 'string' || !AMOUNT.test(text)) {
      throw new GatewayError(
        'GW_ERR_FORBIDDEN',
        `bearer token "${this.#options.maxAmountClaim}" claim is not a decimal amount`,
      );
    }
    return text;
  }
}

function rolesOf(claim: unknown): Role[] {
  const values = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
  return [...new Set(values.filter(isRole))];
}

/** jose's failures become typed errors whose messages name the claim, never a value. */
function mapJoseError(error: unknown): GatewayError {
  if (error instanceof errors.JWTExpired) {
    return new GatewayError('GW_ERR_UNAUTHORIZED', 'bearer token has expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new GatewayError('GW_ERR_UNAUTHORIZED', `bearer token "${error.claim}" claim check failed`);
  }
  if (
    error instanceof errors.JOSEError &&
    !UNAVAILABLE_CODES.has(error.code) &&
    !/JSON Web Key Set HTTP/.test(error.message)
  ) {
    return new GatewayError('GW_ERR_UNAUTHORIZED', 'bearer token could not be verified');
  }
  return new GatewayError('GW_ERR_IDP_UNAVAILABLE', 'the identity provider keys could not be fetched', {
    retryable: true,
    cause: error,
  });
}
