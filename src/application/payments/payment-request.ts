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
  readonly settings: CaptureSettings;
}

/** Checks what the schema cannot: the amount against its currency, and no card-like text. */
export function checkRequest(request: PaymentRequest): void {
  if (request.chargeAmount !== undefined && /[1-9]/.test(request.chargeAmount)) {
    if (request.currency === undefined) {
      throw new GatewayError('GW_ERR_INVALID_BODY', '"currency" is required with "chargeAmount"');
    }
    toMinorUnits(request.chargeAmount, request.currency);
  }
  refuseCardNumbers({ description: request.description, idempotencyKey: request.idempotencyKey });
}
