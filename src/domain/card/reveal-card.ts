import { GatewayError } from '../../errors.js';
import { type CaptureState, wipeCardDigits } from '../capture/capture-state.js';
import type { CaptureField } from '../capture/capture-types.js';
import type { CardBrand } from './card-brand.js';
import type { SecureDigits } from './secure-digits.js';

/** The card as a processor connector receives it: the only plain form card digits ever take. */
export interface PlainCard {
  readonly number: string;
  readonly brand: CardBrand;
  readonly expMonth: number;
  readonly expYear: number;
  /** Present when the payment asked for it. Discard it once the card is authorised (PCI DSS 3.3.1). */
  readonly securityCode?: string;
  readonly postalCode?: string;
}

/**
 * THE ONLY WAY CARD DIGITS LEAVE THE DOMAIN AS PLAIN VALUES. Copies the captured card out for
 * `connector`, zeroes every digit buffer of the capture at once (whatever happens next), then hands
 * the copy to the connector.
 * Call it once, on the `tokenise` command, with the state that command came with; a second call, or a
 * call on a capture that is not processing, rejects with GatewayError `GW_ERR_INTERNAL` (and still
 * zeroes the buffers). Keep the plain values inside the connector: never log them, never return them.
 */
export async function revealCardForConnector<T>(
  state: CaptureState,
  connector: (card: PlainCard) => T | Promise<T>,
): Promise<T> {
  let card: PlainCard;
  try {
    card = plainCard(state);
  } finally {
    // the plain copy exists now; the buffers are not needed while the processor works
    wipeCardDigits(state);
  }
  return await connector(card);
}

function notReady(): GatewayError {
  return new GatewayError('GW_ERR_INTERNAL', 'card data is not available to a connector');
}

function plainCard(state: CaptureState): PlainCard {
  const { brand, expMonth, expYear } = state.card;
  if (
    state.status !== 'processing' ||
    brand === undefined ||
    expMonth === undefined ||
    expYear === undefined
  ) {
    throw notReady();
  }
  const number = plainDigits(state, 'payment-card-number');
  if (number === undefined || plainDigits(state, 'expiration-date') === undefined) throw notReady();
  const securityCode = plainDigits(state, 'security-code');
  const postalCode = plainDigits(state, 'postal-code');
  if (state.settings.securityCode && securityCode === undefined) throw notReady();
  if (state.settings.postalCode && postalCode === undefined) throw notReady();
  return {
    number,
    brand,
    expMonth,
    expYear,
    ...(securityCode === undefined ? {} : { securityCode }),
    ...(postalCode === undefined ? {} : { postalCode }),
  };
}

/** A captured, valid, not yet zeroed field as a string of digits; undefined otherwise. */
function plainDigits(state: CaptureState, field: CaptureField): string | undefined {
  const capture = state.fields[field];
  if (capture?.status !== 'captured' || capture.valid !== true || capture.digits.length === 0)
    return undefined;
  return digitString(capture.digits);
}

/** Builds the string in one step, so no prefixes of the number are left behind on the heap. */
function digitString(digits: SecureDigits): string {
  return digits.evaluate((keyed) => String.fromCharCode(...Array.from(keyed, (digit) => 0x30 + digit)));
}
