import { isIPv4, isIPv6 } from 'node:net';

/**
 * What an IP address is, for deciding whether a status callback may connect to it. `public` may be
 * reached; `private` (RFC 1918, shared 100.64/10, unique-local fc00::/7) only when the allow-list
 * names the address itself; `loopback` likewise, and only with TONEWALL_WEBHOOK_LOOPBACK on
 * (development and tests); every other class never (docs/webhooks.md, "Where callbacks may go").
 */
export type AddressClass =
  | 'public'
  | 'private'
  | 'loopback'
  | 'link-local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'invalid';

/** Classes a callback may reach when the allow-list names the address itself. */
export const NAMED_ONLY: ReadonlySet<AddressClass> = new Set(['private', 'loopback']);

interface Range {
  readonly prefix: bigint;
  readonly bits: number;
  readonly class: AddressClass;
}

/** Cloud metadata services, checked before the ranges that hold them (link-local, shared, unique-local). */
const METADATA_V4 = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', '192.0.0.192']);
const METADATA_V6 = new Set(['fd00:ec2:0:0:0:0:0:254']);

/** A range written as its first address (IPv4 or IPv6) and prefix length. */
function range(text: string, bits: number, kind: AddressClass): Range {
  return { prefix: ipv4Number(text) ?? ipv6Number(text) ?? 0n, bits, class: kind };
}

/** First match wins: the narrower ranges come first. */
const V4_RANGES: readonly Range[] = [
  range('255.255.255.255', 32, 'broadcast'),
  range('0.0.0.0', 8, 'unspecified'),
  range('127.0.0.0', 8, 'loopback'),
  range('169.254.0.0', 16, 'link-local'),
  range('224.0.0.0', 4, 'multicast'),
  range('240.0.0.0', 4, 'reserved'),
  range('10.0.0.0', 8, 'private'),
  range('172.16.0.0', 12, 'private'),
  range('192.168.0.0', 16, 'private'),
  range('100.64.0.0', 10, 'private'),
  range('192.0.0.0', 24, 'reserved'),
  range('192.0.2.0', 24, 'reserved'),
  range('198.18.0.0', 15, 'reserved'),
  range('198.51.100.0', 24, 'reserved'),
  range('203.0.113.0', 24, 'reserved'),
];

const V6_RANGES: readonly Range[] = [
  range('::', 128, 'unspecified'),
  range('::1', 128, 'loopback'),
  range('fe80::', 10, 'link-local'),
  range('fec0::', 10, 'reserved'),
  range('ff00::', 8, 'multicast'),
  range('fc00::', 7, 'private'),
  range('2001:db8::', 32, 'reserved'),
  range('100::', 64, 'reserved'),
  // IPv4-compatible (::a.b.c.d), long deprecated: nothing legitimate is there
  range('::', 96, 'reserved'),
];

function ipv4Number(text: string): bigint | undefined {
  if (!isIPv4(text)) return undefined;
  return text.split('.').reduce((sum, part) => (sum << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Number(text: string): bigint | undefined {
  if (!isIPv6(text)) return undefined;
  let address = text.toLowerCase();
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (dotted?.[1]) {
    const value = ipv4Number(dotted[1]);
    if (value === undefined) return undefined;
    address = `${address.slice(0, -dotted[1].length)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups =
    tail === undefined ? headGroups : [...headGroups, ...Array(missing).fill('0'), ...tailGroups];
  if (groups.length !== 8) return undefined;
  return groups.reduce((sum, group) => (sum << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}

function inRange(value: bigint, width: number, range: Range): boolean {
  const shift = BigInt(width - range.bits);
  return value >> shift === range.prefix >> shift;
}

function classify(value: bigint, width: number, ranges: readonly Range[]): AddressClass {
  return ranges.find((range) => inRange(value, width, range))?.class ?? 'public';
}

function classifyV4(value: bigint): AddressClass {
  const dotted = [24n, 16n, 8n, 0n].map((shift) => (value >> shift) & 0xffn).join('.');
  return METADATA_V4.has(dotted) ? 'metadata' : classify(value, 32, V4_RANGES);
}

/**
 * The class of an IP address as a resolver or `new URL` gives it (IPv6 with or without brackets).
 * An IPv6 address that carries an IPv4 one (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) is the class of the IPv4 address inside: a mapped 127.0.0.1 is loopback.
 */
export function classifyAddress(address: string): AddressClass {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const four = ipv4Number(bare);
  if (four !== undefined) return classifyV4(four);
  const six = ipv6Number(bare);
  if (six === undefined) return 'invalid';
  if (six >> 32n === 0xffffn || six >> 32n === 0x64ff9b0000000000000000n)
    return classifyV4(six & 0xffffffffn);
  if (six >> 112n === 0x2002n) return classifyV4((six >> 80n) & 0xffffffffn);
  if (METADATA_V6.has(canonicalIpv6(six))) return 'metadata';
  return classify(six, 128, V6_RANGES);
}

function canonicalIpv6(value: bigint): string {
  return [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n]
    .map((shift) => ((value >> shift) & 0xffffn).toString(16))
    .join(':');
}

/**
 * The one form an address is compared in (allow-list entries and resolved addresses): IPv4 dotted,
 * IPv6 as eight lowercase groups without brackets; undefined for a name.
 */
export function canonicalAddress(address: string): string | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const four = ipv4Number(bare);
  if (four !== undefined) return [24n, 16n, 8n, 0n].map((shift) => (four >> shift) & 0xffn).join('.');
  const six = ipv6Number(bare);
  return six === undefined ? undefined : canonicalIpv6(six);
}
