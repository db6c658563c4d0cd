/**
 * The one interface every processor connector implements. This is the hand-off point of card data:
 * the card fields below are plain strings only because a processor needs them so. A connector never
 * logs them, never puts them in an error or a result, and keeps no reference to a request once its
 * `tokenise` promise has settled (no caching, no retry queue outliving the call).
 */

export const TOKEN_TYPES = ['one-time', 'reusable'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

/** The card as the domain reveals it (structurally compatible with domain's PlainCard). */
export interface ConnectorCard {
  readonly number: string;
  readonly expMonth: number;
  /** Four-digit year. */
  readonly expYear: number;
  readonly securityCode?: string;
  readonly postalCode?: string;
}

export interface TokeniseRequest {
  readonly paymentId: string;
  /** Sent unchanged on every attempt, so the processor acts once however often we retry. */
  readonly idempotencyKey: string;
  readonly card: ConnectorCard;
  /** Decimal amount in major units ("10.00", "1000" for JPY). Absent or zero: tokenise only. */
  readonly chargeAmount?: string;
  /** ISO 4217 code; connectors default to `usd` when charging without one. */
  readonly currency?: string;
  readonly description?: string;
  readonly tokenType: TokenType;
}

export interface TokenisedResult {
  readonly outcome: 'success';
  readonly token: string;
  readonly last4: string;
  readonly brand?: string;
  /** The processor's reference for the authorisation, when a charge was made. */
  readonly confirmationCode?: string;
  readonly chargeId?: string;
}

/** A decline is a result, not an exception: the card was looked at and refused. */
export interface DeclinedResult {
  readonly outcome: 'declined';
  /** The processor's decline code (`card_declined`, `insufficient_funds`, …). */
  readonly declineCode: string;
  /** A fixed, human sentence chosen by us from `declineCode`; never the processor's own text. */
  readonly reason: string;
}

export type ProcessorResult = TokenisedResult | DeclinedResult;

/** What the processor did under one idempotency key, asked after a charge of unknown outcome. */
export type LookupResult =
  /** It acted: the result it gave (or would have given) the request. */
  | { readonly found: 'result'; readonly result: ProcessorResult }
  /** It still works on the request (a hang, a Stripe intent `processing`): ask again later. */
  | { readonly found: 'pending' }
  /** It has no request under this key: nothing was charged (so far: a request still on the wire may land). */
  | { readonly found: 'nothing' };

export interface LookupRequest {
  readonly paymentId: string;
  /** The key the tokenise request was sent with. */
  readonly idempotencyKey: string;
}

/**
 * A processor connector. `tokenise` resolves with a result or rejects with a GatewayError whose code
 * is one of GW_ERR_PROCESSOR_* (or GW_ERR_INVALID_AMOUNT), after its retries.
 */
export interface ProcessorConnector {
  readonly name: string;
  tokenise(request: TokeniseRequest): Promise<ProcessorResult>;
  /**
   * Reconciliation: asks the processor what it did under `idempotencyKey` (never sends card data).
   * Rejects with a GW_ERR_PROCESSOR_* error when it cannot tell now. A connector without it leaves
   * every charge of unknown outcome for a person to settle (docs/payments.md, "Unknown outcomes").
   */
  lookup?(request: LookupRequest): Promise<LookupResult>;
  /** Releases sockets and agents. */
  close(): Promise<void>;
}

/** True when the request asks for money to move (an amount above zero). */
export function isCharge(request: Pick<TokeniseRequest, 'chargeAmount'>): boolean {
  return request.chargeAmount !== undefined && /[1-9]/.test(request.chargeAmount);
}
