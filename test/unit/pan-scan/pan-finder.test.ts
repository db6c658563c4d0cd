import { describe, expect, it } from 'vitest';
import { PanFinder, type PanFinding } from '../../../src/domain/audit/audit-pan-finder.js';

function find(
  text: string | Uint8Array,
  options: { anyPrefix?: boolean; chunk?: number } = {},
): PanFinding[] {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const finder = new PanFinder(options);
  const size = options.chunk ?? bytes.length;
  for (let start = 0; start < bytes.length; start += Math.max(size, 1))
    finder.push(bytes.subarray(start, start + size));
  return finder.end();
}

describe('PanFinder: true positives', () => {
  it.each([
    ['visa, contiguous', 'card 4242424242424242 ok', '************4242', 'visa'],
    ['visa, spaces', 'pan: 4000 0000 0000 0002.', '************0002', 'visa'],
    ['mastercard, dashes', '"5555-5555-5555-4444"', '************4444', 'mastercard'],
    ['amex, 15 digits', 'x=378282246310005', '***********0005', 'amex'],
    ['amex, 4-6-5 groups', '3782 822463 10005', '***********0005', 'amex'],
    ['a card number followed by a security code', '4242 4242 4242 4242 123', '************4242', 'visa'],
    ['after a word and a dash', 'card-6512345678904126 ok', '************4126', 'discover'],
    ['dashed, before a word', '6512-3456-7890-4126-ok', '************4126', 'discover'],
    ['at the very start and end of the input', '4242424242424242', '************4242', 'visa'],
  ])('finds %s', (_name, text, masked, brand) => {
    const [finding, ...rest] = find(text);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ masked, brand });
  });

  // the capture's brand table (credit-card-type, 4fc4782) refuses these lengths; the scan must still
  // find them: numbers of these lengths were issued, or taken by the earlier table, and may be in logs
  it.each([
    ['visa, 13 digits', 'pan=4222222222222 ', '*********2222', 'visa'],
    ['discover, 17 digits', 'pan=60111234567890129 ', '*************0129', 'discover'],
    ['discover, 18 digits', 'pan=651234567890123454 ', '**************3454', 'discover'],
    ['diners club, 15 digits', 'pan=361234567890122 ', '***********0122', 'diners-club'],
    ['diners club, 18 digits', 'pan=300123456789012341 ', '**************2341', 'diners-club'],
  ])('finds %s, a length the capture no longer takes', (_name, text, masked, brand) => {
    expect(find(text)).toEqual([expect.objectContaining({ masked, brand })]);
  });

  it('reports line, column and byte offset, and never the whole number', () => {
    const findings = find('first line\nsecond 4242424242424242\n\n5555555555554444\n');
    expect(findings).toEqual([
      { offset: 18, line: 2, column: 8, length: 16, masked: '************4242', brand: 'visa' },
      { offset: 36, line: 4, column: 1, length: 16, masked: '************4444', brand: 'mastercard' },
    ]);
    expect(JSON.stringify(findings)).not.toMatch(/\d{5}/);
  });

  it('finds numbers split across chunks, one byte at a time', () => {
    expect(find('a 4000 0000 0000 0002 b 378282246310005 c', { chunk: 1 }).map((f) => f.masked)).toEqual([
      '************0002',
      '***********0005',
    ]);
  });

  it('finds numbers inside binary data (a pcap payload)', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 0x00, 0xff, 0x10]),
      Buffer.from('INVITE 4242424242424242 '),
      Buffer.from([0x00, 0x80, 0x7f]),
    ]);
    expect(find(bytes).map((f) => f.masked)).toEqual(['************4242']);
  });
});

describe('PanFinder: false positives avoided', () => {
  it.each([
    ['a phone number', 'call +44 7700 900123 now'],
    ['a phone number with a dash', 'tel 0044-7700-900123'],
    ['an order id', 'order ORD-2026-000123456 placed'],
    ['an epoch-ms timestamp', '"time":1795421943000,'],
    ['ISO timestamps', '2026-11-23T09:00:00.000Z 2026-11-23 09:00:00'],
    ['a UUID', 'id=123e4567-e89b-12d3-a456-426614174000'],
    // CI once failed on a request id whose first three groups were decimal and Luhn-valid
    [
      'a UUID whose first groups are a Luhn-valid discover number',
      '"requestId":"65123456-7890-4126-a456-426614174000"',
    ],
    ['a UUID whose last groups are a Luhn-valid visa number', 'id=ab12cd34-e89b-12d3-9123-456789012348 ok'],
    // CI once failed on baresip's SDP origin line: session id and version, 19 Luhn-valid digits
    ['an SDP origin line', 'o=- 354567890 1234567890 IN IP4 127.0.0.1'],
    ['a UUID whose middle groups are decimal', 'id=ab12cd34-6512-3456-7890-4126ffffffff'],
    ['a long non-Luhn digit run', 'ref 4242424242424241'],
    ['a card number inside a run of 20+ digits', 'n=42424242424242420000 m=004242424242424242'],
    ['a card number glued to letters (hex, base64)', 'sha=ab4242424242424242cd sig=x4242424242424242'],
    ['two spaces between groups', '4242  4242  4242  4242'],
    ['a Luhn-valid number of no card brand', '1234567812345670'],
    ['a Luhn-valid number of a wrong length for its brand', '42424242424242426'],
    ['a SHA-256 hex digest', 'prev 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
  ])('ignores %s', (_name, text) => {
    expect(find(text)).toEqual([]);
  });

  it('with anyPrefix, finds any Luhn-valid 13–19 digit number', () => {
    expect(find('1234567812345670', { anyPrefix: true }).map((f) => f.masked)).toEqual(['************5670']);
  });
});
