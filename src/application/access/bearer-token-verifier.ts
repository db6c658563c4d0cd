import type { Principal } from './principal.js';

/** Tells who an identity provider's bearer token (a JWT) names. The JWT adapter implements it. */
export interface BearerTokenVerifier {
  /** Whether `token` has the shape of one of this verifier's tokens (not whether it is valid). */
  looksLikeToken(token: string): boolean;
  /** The principal the token names; rejects with GW_ERR_UNAUTHORIZED or GW_ERR_IDP_UNAVAILABLE. */
  verify(token: string): Promise<Principal>;
}
