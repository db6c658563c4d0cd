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
  /**
   * Read the amount back before charging and wait for # (confirm) or * (cancel); undefined: the
   * prompt player's default (TONEWALL_AMOUNT_READBACK, on; never without prompts).
   */
  readonly readBack?: boolean;
  readonly settings: CaptureSettings;
}

/** A charge of more than nothing (else only a token is made). */
export function chargesMoney<T extends { readonly chargeAmount?: string }>(
  request: T,
): request is T & { readonly chargeAmount: string } {
  return request.chargeAmount !== undefined && /[1-9]/.test(request.chargeAmount);
}

/**
 * The capture's settings: the request's, and a charge reads its amount back when the request says so,
 * or says nothing and the prompts read back by default.
 */
export function captureSettingsOf(
  request: PaymentRequest,
  prompts: { readonly readsBackByDefault?: boolean } = {},
): CaptureSettings {
  const readBack = request.readBack ?? prompts.readsBackByDefault === true;
  return { ...request.settings, confirmAmount: chargesMoney(request) && readBack };
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
