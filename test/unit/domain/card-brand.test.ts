import { describe, expect, it } from 'vitest';
import {
  type BrandDetection,
  CARD_BRANDS,
  CARD_LENGTHS,
  detectBrand,
  isCardBrand,
  MAX_CARD_NUMBER_LENGTH,
  maxCardNumberLength,
} from '../../../src/domain/card/card-brand.js';
import { digitsOf } from './support.js';

function describeDetection(detection: BrandDetection): string {
  if (detection.kind === 'decided') return detection.brand;
  if (detection.kind === 'none') return 'none';
  return `? ${detection.candidates.join(' ')}`;
}

describe('detectBrand', () => {
  // "? a b" = undecided with candidates a, b; a name = decided; none = no brand possible.
  it.each([
    ['', `? ${CARD_BRANDS.join(' ')}`],
    ['4', 'visa'],
    ['4999', 'visa'],
    ['5', '? mastercard maestro'],
    ['50', '? maestro'],
    ['501', '? maestro'],
    ['5018', 'maestro'],
    ['5019', 'none'],
    ['5020', 'maestro'],
    ['5038', 'maestro'],
    ['51', 'mastercard'],
    ['55', 'mastercard'],
    ['56', 'none'],
    ['58', '? maestro'],
    ['5893', 'maestro'],
    ['2', '? mastercard'],
    ['222', '? mastercard'],
    ['2220', 'none'],
    ['2221', 'mastercard'],
    ['223', 'mastercard'],
    ['26', 'mastercard'],
    ['27', '? mastercard'],
    ['272', '? mastercard'],
    ['2720', 'mastercard'],
    ['2721', 'none'],
    ['28', 'none'],
    ['3', '? amex jcb diners-club'],
    ['30', '? diners-club'],
    ['300', 'diners-club'],
    ['305', 'diners-club'],
    ['306', 'none'],
    ['34', 'amex'],
    ['35', '? jcb'],
    ['352', '? jcb'],
    ['3527', 'none'],
    ['3528', 'jcb'],
    ['358', 'jcb'],
    ['359', 'none'],
    ['36', 'diners-club'],
    ['37', 'amex'],
    ['38', 'diners-club'],
    ['39', 'diners-club'],
    ['6', '? discover unionpay maestro'],
    ['60', '? discover'],
    ['6011', 'discover'],
    ['6012', 'none'],
    ['62', '? discover unionpay'],
    ['621', 'unionpay'],
    ['622', '? discover unionpay'],
    ['6221', '? discover unionpay'],
    ['62212', '? discover unionpay'],
    ['622125', 'unionpay'],
    ['622126', 'discover'],
    ['6222', 'discover'],
    ['6228', 'discover'],
    ['6229', '? discover unionpay'],
    ['622925', 'discover'],
    ['622926', 'unionpay'],
    ['623', 'unionpay'],
    ['63', '? maestro'],
    ['6304', 'maestro'],
    ['64', '? discover'],
    ['643', 'none'],
    ['644', 'discover'],
    ['649', 'discover'],
    ['65', 'discover'],
    ['67', '? maestro'],
    ['6759', 'maestro'],
    ['6760', 'none'],
    ['6761', 'maestro'],
    ['6763', 'maestro'],
    ['6764', 'none'],
    ['0', 'none'],
    ['1', 'none'],
    ['7', 'none'],
    ['8', 'none'],
    ['9', 'none'],
    ['4111111111111111', 'visa'],
    ['6221260000000000', 'discover'],
  ])('%s → %s', (prefix, expected) => {
    expect(describeDetection(detectBrand(digitsOf(prefix)))).toBe(expected);
  });

  it('decides from the fewest digits: one digit fewer is never decided for the same brand', () => {
    const decisive = [
      '4',
      '51',
      '2221',
      '34',
      '37',
      '6011',
      '644',
      '65',
      '622126',
      '3528',
      '300',
      '36',
      '621',
      '6759',
    ];
    for (const prefix of decisive) {
      expect(detectBrand(digitsOf(prefix)).kind).toBe('decided');
      expect(detectBrand(digitsOf(prefix.slice(0, -1))).kind).not.toBe('decided');
    }
  });
});

describe('card lengths', () => {
  it.each([
    ['visa', [13, 16, 19]],
    ['mastercard', [16]],
    ['amex', [15]],
    ['discover', [16, 17, 18, 19]],
    ['jcb', [16, 17, 18, 19]],
    ['diners-club', [14, 15, 16, 17, 18, 19]],
    ['unionpay', [16, 17, 18, 19]],
    ['maestro', [12, 13, 14, 15, 16, 17, 18, 19]],
  ] as const)('%s has lengths %j', (brand, lengths) => {
    expect(CARD_LENGTHS[brand]).toEqual(lengths);
  });

  it.each([
    ['4', 19],
    ['34', 15],
    ['51', 16],
    ['5', 19],
    ['3', 19],
    ['9', MAX_CARD_NUMBER_LENGTH],
  ])('a number starting %s has at most %i digits', (prefix, max) => {
    expect(maxCardNumberLength(detectBrand(digitsOf(prefix)))).toBe(max);
  });

  it('knows its brands', () => {
    expect(isCardBrand('visa')).toBe(true);
    expect(isCardBrand('Visa')).toBe(false);
    expect(isCardBrand(4)).toBe(false);
  });
});
