import type { TokenisationOutcome } from '../../domain/capture/capture-events.js';
import type { CaptureState } from '../../domain/capture/capture-state.js';
import { revealCardForConnector } from '../../domain/card/reveal-card.js';
import { isGatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { mayHaveCharged } from './charge-doubt.js';
import type { PaymentRequest } from './payment-request.js';
import { isCharge, type ProcessorConnector } from './processor-connector.js';

/** One payment's hand-off to the processor. */
export interface Tokenisation {
  readonly paymentId: string;
  /** The key every attempt carries (derived from the caller's: idempotency-keys.ts). */
  readonly processorKey: string;
  readonly request: PaymentRequest;
  /** The capture state that asked to tokenise: its card buffers are revealed once, then zeroed. */
  readonly state: CaptureState;
  readonly connector: ProcessorConnector;
  readonly logger: Logger;
}

/**
 * Hands the captured card to the connector and turns its answer into the capture machine's
 * processor result. A failure after which a charge may have been made is `unknown` (charge-doubt.ts),
 * never a failure; so is a charge answered with a token for another card. Resolves undefined when the
 * payment must end as internal-error (such a token where nothing was charged, or a failure that is
 * not the connector's and cannot have charged); never rejects.
 */
export function tokenise(input: Tokenisation): Promise<TokenisationOutcome | undefined> {
  const { request, connector, logger } = input;
  // the last four of the validated number, read before the buffers are zeroed, to check the token
  const capturedLast4 = input.state.card.last4;
  return revealCardForConnector(input.state, (card) =>
    connector.tokenise({
      paymentId: input.paymentId,
      idempotencyKey: input.processorKey,
      card,
      tokenType: request.tokenType,
      ...(request.chargeAmount === undefined ? {} : { chargeAmount: request.chargeAmount }),
      ...(request.currency === undefined ? {} : { currency: request.currency }),
      ...(request.description === undefined ? {} : { description: request.description }),
    }),
  ).then(
    (reply): TokenisationOutcome | undefined => {
      if (reply.outcome === 'declined') {
        return { outcome: 'declined', declineCode: reply.declineCode, reason: reply.reason };
      }
      if (reply.last4 !== capturedLast4) {
        logger.error({ connector: connector.name }, 'processor token is for another card');
        // the processor says it charged: money may have moved, so never "failed, no money taken"
        return isCharge(request) ? { outcome: 'unknown' } : undefined;
      }
      return {
        outcome: 'success',
        token: reply.token,
        confirmationCode: reply.confirmationCode ?? reply.token,
      };
    },
    (error: unknown): TokenisationOutcome | undefined => {
      logger.warn({ err: error, connector: connector.name }, 'tokenisation failed');
      if (mayHaveCharged(request, error)) {
        logger.error(
          { connector: connector.name, code: isGatewayError(error) ? error.code : undefined },
          'charge of unknown outcome: reconciliation will ask the processor',
        );
        return { outcome: 'unknown' };
      }
      const isConnectorError = isGatewayError(error) && /^GW_ERR_(PROCESSOR|INVALID_AMOUNT)/.test(error.code);
      return isConnectorError ? { outcome: 'payment-connector-error' } : undefined;
    },
  );
}

/** The tokenisations still waiting for an answer, so a clean stop can wait for each of them. */
export class TokenisationsInFlight {
  readonly #runs = new Set<Promise<void>>();

  track(run: Promise<void>): void {
    this.#runs.add(run);
    const done = () => void this.#runs.delete(run);
    run.then(done, done);
  }

  /** Settles once none is in flight, including any that start while it waits. */
  async settled(): Promise<void> {
    while (this.#runs.size > 0) await Promise.allSettled([...this.#runs]);
  }
}
