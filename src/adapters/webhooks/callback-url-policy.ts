import { GatewayError } from '../../errors.js';

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Where status callbacks may go. A callback carries the token, last 4, brand and expiry, so it goes
 * over HTTPS (plain HTTP only to this host), and when `allowedHosts` is set only to those hosts: the
 * API cannot be used to make the gateway POST into the network at large (SSRF).
 */
export function checkCallbackUrl(url: string, allowedHosts: readonly string[] | undefined): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GatewayError('GW_ERR_INVALID_BODY', '"statusCallback" is not a URL');
  }
  const hostname = parsed.hostname.toLowerCase();
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopback(hostname))) {
    throw new GatewayError(
      'GW_ERR_INVALID_BODY',
      '"statusCallback" must be https (plain http only to loopback)',
    );
  }
  if (parsed.username || parsed.password) {
    throw new GatewayError('GW_ERR_INVALID_BODY', '"statusCallback" must not carry credentials');
  }
  if (allowedHosts && !allowedHosts.includes(hostname)) {
    throw new GatewayError('GW_ERR_INVALID_BODY', '"statusCallback" host is not in TONEWALL_WEBHOOK_HOSTS');
  }
}
