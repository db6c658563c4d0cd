import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { GatewayError } from '../../errors.js';
import { canonicalAddress } from './address-class.js';
import { type CallbackAllowList, refusedAddress } from './callback-url-policy.js';

export interface PinnedPost {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Ends the attempt at once: its time-out, or the gateway stopping. */
  readonly signal: AbortSignal;
}

/** Resolves a host name to its addresses (node:dns by default; tests pass a fake to show a rebind). */
export type Resolve = (host: string) => Promise<readonly string[]>;

export const systemResolve: Resolve = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

function refused(message: string): GatewayError {
  return new GatewayError('GW_ERR_WEBHOOK_DELIVERY', message, { retryable: true });
}

/**
 * The address a callback connects to: the URL's own when it is an address, else the first address
 * the name resolves to that the policy admits (refusedAddress: never link-local, metadata,
 * multicast…; private only when named; loopback only when named and allowed for development). The request then goes to that address and no
 * other: no second resolution a rebinding DNS could answer differently.
 */
export async function pinAddress(
  host: string,
  allowed: CallbackAllowList,
  resolve: Resolve,
): Promise<string> {
  const literal = canonicalAddress(host);
  const candidates = literal === undefined ? await resolve(host) : [host.replace(/^\[|\]$/g, '')];
  const reasons: string[] = [];
  for (const address of candidates) {
    const reason = refusedAddress(address, allowed);
    if (reason === undefined) return address;
    reasons.push(reason);
  }
  throw refused(
    reasons.length === 0
      ? 'status callback host did not resolve'
      : `status callback host resolved only to refused addresses (${[...new Set(reasons)].join(', ')})`,
  );
}

/**
 * POSTs `body` to `url` connected to `address` (pinAddress): TLS still checks the certificate
 * against the URL's host name (SNI and `servername` are the name, not the address). No redirect is
 * followed. Resolves with the HTTP status; rejects with GW_ERR_WEBHOOK_DELIVERY on a network error
 * or the abort.
 */
export function postPinned(post: PinnedPost, address: string): Promise<number> {
  const url = new URL(post.url);
  const family = address.includes(':') ? 6 : 4;
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const isName = canonicalAddress(hostname) === undefined;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const request = send(
      {
        protocol: url.protocol,
        host: hostname,
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        lookup,
        agent: false,
        signal: post.signal,
        ...(url.protocol === 'https:' && isName ? { servername: hostname } : {}),
      },
      (response) => {
        // the status is all a callback needs; the receiver's body is not read
        response.destroy();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', (cause) =>
      reject(
        cause instanceof GatewayError
          ? cause
          : new GatewayError('GW_ERR_WEBHOOK_DELIVERY', 'status callback could not be reached', {
              retryable: true,
              cause,
            }),
      ),
    );
    request.end(post.body);
  });
}
