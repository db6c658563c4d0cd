import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { GatewayError } from '../../errors.js';

/** Who is calling. Only integration keys exist so far; agents and their roles arrive with sign-in. */
export type Principal = { kind: 'integration'; name: string };

declare global {
  namespace Express {
    interface Locals {
      principal?: Principal;
    }
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * `Authorization: Bearer <integration key>`. Keys are compared as SHA-256 digests in constant time,
 * so only digests are kept in memory after start-up.
 */
export function authenticate(options: { integrationKeys: readonly string[] }): RequestHandler {
  const keyDigests = options.integrationKeys.map(digest);
  return (request, response, next) => {
    const header = request.get('authorization') ?? '';
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
    if (!match?.[1]) {
      next(new GatewayError('GW_ERR_UNAUTHORIZED', 'missing or malformed bearer token'));
      return;
    }
    const presented = digest(match[1]);
    if (!keyDigests.some((known) => timingSafeEqual(known, presented))) {
      next(new GatewayError('GW_ERR_UNAUTHORIZED', 'unknown bearer token'));
      return;
    }
    response.locals.principal = { kind: 'integration', name: 'development-key' };
    next();
  };
}
