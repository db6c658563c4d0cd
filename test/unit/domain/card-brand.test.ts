import { describe, expect, it } from 'vitest';
import {
  BRAND_NAMES,
  type BrandDetection,
  CARD_BRANDS,
  CARD_LENGTHS,
  detectBrand,
  isCardBrand,
  MAX_CARD_NUMBER_LENGTH,
  maxCardNumberLength,
} from '../../../src/domain/card/card-brand.js';
import { securityCodeLengths } from '../../../src/domain/card/security-code.js';
import { digitsOf } from './support.js';

function describeDetection(detection: BrandDetection): string {
  if (detection.kind === 'decided') return detection.brand;
  if (detection.kind === 'none') return 'none';
  return `? ${detection.candidates.join(' ')}`;
}

describe('detectBrand', () => {
  // "? a b" = undecided with candidates a, b (table order); a name = decided; none = no brand possible.
  it.each([
    ['', `? ${CARD_BRANDS.join(' ')}`],
    // visa's 4 holds elo, naranja and maestro ranges: 4 alone decides nothing any more
    ['4', '? visa naranja maestro elo'],
    ['41', 'visa'],
    ['4011', '? visa elo'],
    ['401178', 'elo'],
    ['401177', 'visa'],
    ['4029', '? visa naranja'],
    ['402918', 'naranja'],
    ['493698', 'maestro'],
    ['4999', 'visa'],
    ['51', 'mastercard'],
    ['5275', '? mastercard naranja'],
    ['527572', 'naranja'],
    ['55', 'mastercard'],
    ['56', 'maestro'],
    ['2', '? mastercard jcb mir'],
    ['22', '? mastercard mir'],
    ['2200', 'mir'],
    ['2204', 'mir'],
    ['2205', 'none'],
    ['2220', 'none'],
    ['2221', 'mastercard'],
    ['2720', 'mastercard'],
    ['2721', 'none'],
    ['2131', 'jcb'],
    ['1800', 'jcb'],
    ['1', '? jcb'],
    ['3', '? amex diners-club jcb'],
    ['300', 'diners-club'],
    ['306', 'none'],
    ['34', 'amex'],
    ['37', 'amex'],
    ['3528', 'jcb'],
    ['359', 'none'],
    ['36', 'diners-club'],
    ['5061', '? verve maestro'],
    ['506099', 'verve'],
    ['506098', 'maestro'],
    ['506128', 'maestro'],
    ['506699', 'elo'],
    ['504175', 'elo'],
    ['6011', 'discover'],
    ['65', '? discover troy elo'],
    ['650052', 'troy'],
    ['650031', 'elo'],
    ['651', '? discover elo'],
    ['653', 'discover'],
    ['6508', '? discover troy'],
    ['650837', '? discover troy'],
    ['65083700', 'troy'],
    ['65083705', 'discover'],
    ['9', '? troy'],
    ['9792', 'troy'],
    ['62', '? unionpay maestro elo'], // 62183, 6271 …: maestro's catch-all 6
    ['621', '? unionpay maestro'],
    ['622126', 'unionpay'],
    ['6062', '? maestro hipercard'],
    ['606282', 'hipercard'],
    ['637095', 'hiper'],
    ['6373742', '? maestro hiper'],
    ['63737423', 'hiper'],
    ['6304', 'maestro'],
    ['6999', 'maestro'],
    ['8', '? unionpay'],
    ['810', 'unionpay'],
    ['0', 'none'],
    ['7', 'none'],
    ['4111111111111111', 'visa'],
  ])('%s → %s', (prefix, expected) => {
    expect(describeDetection(detectBrand(digitsOf(prefix)))).toBe(expected);
  });

  it('decides from the fewest digits: one digit fewer is never decided for the same brand', () => {
    const decisive = ['41', '51', '2200', '2221', '34', '37', '6011', '300', '36', '650052', '65083700'];
    for (const prefix of decisive) {
      expect(detectBrand(digitsOf(prefix)).kind).toBe('decided');
      expect(detectBrand(digitsOf(prefix.slice(0, -1))).kind).not.toBe('decided');
    }
  });
});

describe('card lengths and security codes', () => {
  it.each([
    ['visa', [16, 18, 19], 3],
    ['mastercard', [16], 3],
    ['amex', [15], 4],
    ['discover', [16, 19], 3],
    ['jcb', [16, 17, 18, 19], 3],
    ['diners-club', [14, 16, 19], 3],
    ['unionpay', [14, 15, 16, 17, 18, 19], 3],
    ['maestro', [12, 13, 14, 15, 16, 17, 18, 19], 3],
    ['elo', [16], 3],
    ['mir', [16, 17, 18, 19], 3],
    ['troy', [16], 3],
    ['verve', [16, 18, 19], 3],
    ['naranja', [16], 3],
    ['hiper', [16], 3],
    ['hipercard', [16], 3],
  ] as const)('%s: lengths %j, a %i-digit security code', (brand, lengths, codeLength) => {
    expect(CARD_LENGTHS[brand]).toEqual(lengths);
    expect(securityCodeLengths(brand)).toEqual([codeLength]);
  });

  it('before the brand is known, a security code of any brand’s length', () => {
    expect(securityCodeLengths(undefined)).toEqual([3, 4]);
  });

  it.each([
    ['41', 19],
    ['34', 15],
    ['51', 16],
    ['5', 19],
    ['3', 19],
    ['7', MAX_CARD_NUMBER_LENGTH],
  ])('a number starting %s has at most %i digits', (prefix, max) => {
    expect(maxCardNumberLength(detectBrand(digitsOf(prefix)))).toBe(max);
  });

  it('knows its brands and their names', () => {
    expect(isCardBrand('visa')).toBe(true);
    expect(isCardBrand('elo')).toBe(true);
    expect(isCardBrand('Visa')).toBe(false);
    expect(isCardBrand('american-express')).toBe(false);
    expect(isCardBrand(4)).toBe(false);
    expect(BRAND_NAMES.amex).toBe('American Express');
    expect(BRAND_NAMES.mir).toBe('Mir');
  });
});
