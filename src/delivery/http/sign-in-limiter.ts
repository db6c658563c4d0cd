import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { GatewayError } from '../../errors.js';

/**
 * Throttles sign-in: at most `maxAttempts` failed attempts per address and user name in `windowMs`
 * (successful sign-ins do not count), and ten times that per address whatever the user name, so one
 * address cannot spray passwords over many names. In memory, per app.
 */
export function signInLimiters(options: { maxAttempts: number; windowMs: number }): RequestHandler[] {
  const address = (ip: string | undefined) => ipKeyGenerator(ip ?? 'unknown', 56);
  const refuse: RequestHandler = (_request, _response, next) => {
    next(new GatewayError('GW_ERR_RATE_LIMITED', 'too many sign-in attempts; wait and try again'));
  };
  const common = {
    windowMs: options.windowMs,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    handler: refuse,
    // Keys go through ipKeyGenerator (IPv6 /56); the library's source-text check cannot see that.
    validate: { keyGeneratorIpFallback: false },
  };
  return [
    rateLimit({ ...common, limit: options.maxAttempts * 10, keyGenerator: (request) => address(request.ip) }),
    rateLimit({
      ...common,
      limit: options.maxAttempts,
      keyGenerator: (request) => {
        const body = request.body as { username?: unknown } | undefined;
        const username = typeof body?.username === 'string' ? body.username.toLowerCase().slice(0, 64) : '';
        return `${address(request.ip)}|${username}`;
      },
    }),
  ];
}
