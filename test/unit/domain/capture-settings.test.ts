import { describe, expect, it } from 'vitest';
import {
  CAPTURE_DEFAULTS,
  type CaptureSettings,
  resolveCaptureSettings,
} from '../../../src/domain/capture/capture-settings.js';
import type { CaptureMode } from '../../../src/domain/capture/capture-types.js';
import { CARD_BRANDS, type CardBrand } from '../../../src/domain/card/card-brand.js';
import { GatewayError } from '../../../src/errors.js';

describe('resolveCaptureSettings', () => {
  it('defaults as Twilio does: security code yes, postal code no, auto, 3 attempts, 15 s / 5 s', () => {
    expect(resolveCaptureSettings()).toEqual({
      validCardTypes: CARD_BRANDS,
      securityCode: true,
      postalCode: false,
      captureMode: 'auto',
      confirmAmount: false,
      maxAttempts: 3,
      firstDigitTimeoutMs: 15_000,
      interDigitTimeoutMs: 5_000,
      postalCodeLength: { min: 5, max: 5 },
      maxDurationMs: 600_000,
    });
    expect(resolveCaptureSettings({})).toEqual(CAPTURE_DEFAULTS);
  });

  it('keeps what it is given, treats undefined as unset, and freezes the result', () => {
    const resolved = resolveCaptureSettings({
      validCardTypes: ['visa', 'visa', 'amex'],
      postalCode: true,
      securityCode: undefined,
      captureMode: 'agent',
      postalCodeLength: { min: 3, max: 10 },
    });
    expect(resolved.validCardTypes).toEqual(['visa', 'amex']);
    expect(resolved.securityCode).toBe(true);
    expect(resolved.postalCode).toBe(true);
    expect(resolved.captureMode).toBe('agent');
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.validCardTypes)).toBe(true);
    expect(Object.isFrozen(resolved.postalCodeLength)).toBe(true);
  });

  it.each<[string, CaptureSettings, string]>([
    ['no brands', { validCardTypes: [] }, '"validCardTypes" must list one or more of'],
    ['an unknown brand', { validCardTypes: ['visa', 'laser' as CardBrand] }, '"validCardTypes"'],
    ['an unknown mode', { captureMode: 'manual' as CaptureMode }, '"captureMode" must be one of auto, agent'],
    ['0 attempts', { maxAttempts: 0 }, '"maxAttempts" must be an integer from 1 to 10'],
    ['11 attempts', { maxAttempts: 11 }, '"maxAttempts"'],
    ['fractional attempts', { maxAttempts: 2.5 }, '"maxAttempts"'],
    ['a 999 ms first-digit timeout', { firstDigitTimeoutMs: 999 }, '"firstDigitTimeoutMs"'],
    ['a 121 s inter-digit timeout', { interDigitTimeoutMs: 121_000 }, '"interDigitTimeoutMs"'],
    ['postal min 0', { postalCodeLength: { min: 0, max: 5 } }, '"postalCodeLength.min"'],
    ['postal max 11', { postalCodeLength: { min: 5, max: 11 } }, '"postalCodeLength.max"'],
    ['postal min above max', { postalCodeLength: { min: 6, max: 5 } }, '"postalCodeLength" must have min'],
  ])('refuses %s', (_case, settings, message) => {
    let thrown: unknown;
    try {
      resolveCaptureSettings(settings);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).code).toBe('GW_ERR_INVALID_BODY');
    expect((thrown as GatewayError).message).toContain(message);
  });
});
