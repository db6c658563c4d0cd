import { holdsCardNumber } from '../../application/payments/card-number-text.js';
import { GatewayError } from '../../errors.js';
import { type AddressClass, canonicalAddress, classifyAddress, NAMED_ONLY } from './address-class.js';

/**
 * The allow-list of status callbacks (TONEWALL_WEBHOOK_HOSTS): host names, and addresses. A private
 * address is reached only when it is named here by address; a loopback one never, unless `loopback`
 * (TONEWALL_WEBHOOK_LOOPBACK, development and tests) and named by address (docs/webhooks.md).
 */
export interface CallbackAllowList {
  readonly hosts: ReadonlySet<string>;
  /** The entries that are IP addresses, canonical (address-class.ts). */
  readonly addresses: ReadonlySet<string>;
  /** Loopback addresses named in `addresses` may be reached (never in production). */
  readonly loopback: boolean;
}

/** Lowercase, `new URL`'s form (decimal and octal IPv4 made dotted, IPv6 bracketed), as callback hosts are compared. */
export function urlHost(entry: string): string | undefined {
  try {
    const host = new URL(`https://${entry.includes(':') && !entry.startsWith('[') ? `[${entry}]` : entry}/`);
    return host.port === '' && host.pathname === '/' ? host.hostname : undefined;
  } catch {
    return undefined;
  }
}

export function allowList(
  entries: readonly string[],
  options: { loopback?: boolean } = {},
): CallbackAllowList {
  const hosts = entries.map((entry) => urlHost(entry) ?? entry.toLowerCase());
  return {
    hosts: new Set(hosts),
    addresses: new Set(hosts.map(canonicalAddress).filter((address) => address !== undefined)),
    loopback: options.loopback === true,
  };
}

/** Why an address is not reached, or undefined when it may be. */
export function refusedAddress(address: string, allowed: CallbackAllowList): AddressClass | undefined {
  const kind = classifyAddress(address);
  if (kind === 'public') return undefined;
  if (kind === 'loopback' && !allowed.loopback) return kind;
  const canonical = canonicalAddress(address);
  if (NAMED_ONLY.has(kind) && canonical !== undefined && allowed.addresses.has(canonical)) return undefined;
  return kind;
}

/**
 * Checks a statusCallback when a payment asks for it: https (plain http only to a loopback address
 * the allow-list names), no credentials, a host of the allow-list, and, when the host is an address,
 * one a callback may reach. The delivery checks the address again after resolving the name
 * (pinned-request.ts). A URL holding a card number is refused as `description` is: it is kept in
 * the status record (file or Redis) and the callback queue. Messages name the field, never the URL.
 */
export function checkCallbackUrl(url: string, allowed: CallbackAllowList): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GatewayError('GW_ERR_INVALID_BODY', '"statusCallback" is not a URL');
  }
  if (holdsCardNumber(url) || holdsCardNumber(decoded(url))) {
    throw new GatewayError('GW_ERR_INVALID_BODY', '"statusCallback" must not contain a card number');
  }
  const host = parsed.hostname.toLowerCase();
  const address = canonicalAddress(host);
  const loopback = address !== undefined && classifyAddress(address) === 'loopback';
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new GatewayError(
      'GW_ERR_INVALID_BODY',
      '"statusCallback" must be https (plain http only to a loopback address)',
    );
  }
  if (parsed.username || parsed.password) {
    throw new GatewayError('GW_ERR_INVALID_BODY', '"statusCallback" must not carry credentials');
  }
  if (!allowed.hosts.has(host)) {
    throw new GatewayError('GW_ERR_INVALID_BODY', '"statusCallback" host is not in TONEWALL_WEBHOOK_HOSTS');
  }
  const refused = address === undefined ? undefined : refusedAddress(address, allowed);
  if (refused !== undefined) {
    throw new GatewayError(
      'GW_ERR_INVALID_BODY',
      `"statusCallback" host is a ${refused} address, which callbacks never reach`,
    );
  }
}

/** The URL with its percent-escapes undone (`%34%32…` hides digits from a scan of the raw text). */
function decoded(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}
