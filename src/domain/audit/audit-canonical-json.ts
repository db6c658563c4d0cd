/**
 * Canonical JSON for audit records (the subset of RFC 8785 the records use): object keys sorted by
 * UTF-16 code units, no whitespace, strings escaped as JSON.stringify escapes them, numbers only as
 * safe integers. One value has exactly one text, so a hash or a signature over it is stable however
 * the record was stored or parsed.
 */

export type CanonicalValue =
  | string
  | number
  | boolean
  | null
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue | undefined };

/** The canonical text of `value`; object members whose value is `undefined` are left out. */
export function canonicalJson(value: CanonicalValue): string {
  return write(value, '$');
}

function write(value: CanonicalValue, path: string): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`audit value at ${path} is not a safe integer`);
    return String(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item: CanonicalValue, index) => write(item, `${path}[${index}]`)).join(',')}]`;
  }
  if (typeof value !== 'object') throw new TypeError(`audit value at ${path} has an unsupported type`);
  const object = value as { readonly [key: string]: CanonicalValue | undefined };
  const members: string[] = [];
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${write(member, `${path}.${key}`)}`);
  }
  return `{${members.join(',')}}`;
}
