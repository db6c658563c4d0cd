import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet with a strict Content-Security-Policy: everything from this origin only, no inline script or
 * style, no plugins, no framing, and Trusted Types so the page cannot write HTML from strings. HSTS
 * and upgrade-insecure-requests only under TLS (on plain loopback HTTP they would break the page).
 */
export function securityHeaders(options: { tls: boolean }): RequestHandler[] {
  const permissions: RequestHandler = (_request, response, next) => {
    response.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    next();
  };
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          requireTrustedTypesFor: ["'script'"],
          trustedTypes: ["'none'"],
          ...(options.tls ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: options.tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      crossOriginEmbedderPolicy: true,
      referrerPolicy: { policy: 'no-referrer' },
    }),
    permissions,
  ];
}
