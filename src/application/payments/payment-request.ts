import type { CaptureSettings } from '../../domain/capture/capture-settings.js';
import type { Language } from '../../domain/language/languages.js';
import { toMinorUnits } from '../../domain/payments/money.js';
import { GatewayError } from '../../errors.js';
import { refuseCardNumbers } from './card-number-text.js';
import type { TokenType } from './processor-connector.js';

/** What a client asks for when it starts a payment (POST /v1/calls/{callId}/payments). */
export interface PaymentRequest {
  readonly idempotencyKey: string;
  readonly chargeAmount?: string;
  readonly currency?: string;
  readonly description?: string;
  readonly tokenType: TokenType;
  readonly statusCallback?: string;
  /** What the customer hears, and in which language; undefined: TONEWALL_DEFAULT_LANGUAGE. */
  readonly language?: Language;
  /** Read the amount back before charging and wait for # (confirm) or * (cancel); default false. */
  readonly readBack?: boolean;
  readonly settings: CaptureSettings;
}

/** A charge of more than nothing (else only a token is made). */
export function chargesMoney<T extends { readonly chargeAmount?: string }>(
  request: T,
): request is T & { readonly chargeAmount: string } {
  return request.chargeAmount !== undefined && /[1-9]/.test(request.chargeAmount);
}

/** The capture's settings: the request's, and a charge asked to read its amount back does so. */
export function captureSettingsOf(request: PaymentRequest): CaptureSettings {
  return { ...request.settings, confirmAmount: chargesMoney(request) && request.readBack === true };
}

/** Checks what the schema cannot: the amount against its currency, and no card-like text. */
export function checkRequest(request: PaymentRequest): void {
  if (chargesMoney(request)) {
    if (request.currency === undefined) {
      throw new GatewayError('GW_ERR_INVALID_BODY', '"currency" is required with "chargeAmount"');
    }
    toMinorUnits(request.chargeAmount, request.currency);
  }
  refuseCardNumbers({ description: request.description, idempotencyKey: request.idempotencyKey });
}
