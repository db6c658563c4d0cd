import bencode from 'bencode';
import { GatewayError } from '../../errors.js';

/** An NG value as rtpengine speaks it: strings, integers, lists and dictionaries. */
export type NgValue = string | number | NgValue[] | { [key: string]: NgValue };
export type NgDictionary = { [key: string]: NgValue };

const textDecoder = new TextDecoder('utf-8', { fatal: false });

function toNgValue(raw: unknown): NgValue {
  if (raw instanceof Uint8Array) return textDecoder.decode(raw);
  if (typeof raw === 'number') return raw;
  if (Array.isArray(raw)) return raw.map(toNgValue);
  if (raw !== null && typeof raw === 'object') {
    const out: NgDictionary = {};
    for (const [key, value] of Object.entries(raw)) out[key] = toNgValue(value);
    return out;
  }
  throw new GatewayError('GW_ERR_NG_PROTOCOL', 'NG reply holds a value of an unsupported type');
}

/** `<cookie> <bencoded dictionary>`, the NG framing over UDP. */
export function encodeNgMessage(cookie: string, message: NgDictionary): Buffer {
  return Buffer.concat([Buffer.from(`${cookie} `, 'latin1'), Buffer.from(bencode.encode(message))]);
}

export interface DecodedNgMessage {
  cookie: string;
  message: NgDictionary;
}

export function decodeNgMessage(datagram: Buffer): DecodedNgMessage {
  const space = datagram.indexOf(0x20);
  if (space <= 0 || space > 64) {
    throw new GatewayError('GW_ERR_NG_PROTOCOL', 'NG datagram has no cookie');
  }
  const cookie = datagram.subarray(0, space).toString('latin1');
  let decoded: unknown;
  try {
    decoded = bencode.decode(datagram.subarray(space + 1));
  } catch (cause) {
    throw new GatewayError('GW_ERR_NG_PROTOCOL', 'NG datagram body is not valid bencode', { cause });
  }
  const message = toNgValue(decoded);
  if (typeof message !== 'object' || Array.isArray(message)) {
    throw new GatewayError('GW_ERR_NG_PROTOCOL', 'NG datagram body is not a dictionary');
  }
  return { cookie, message };
}
