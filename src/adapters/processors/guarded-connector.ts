import type { Clock } from '../../application/clock.js';
import type {
  LookupRequest,
  LookupResult,
  ProcessorConnector,
  ProcessorResult,
  TokeniseRequest,
} from '../../application/payments/processor-connector.js';
import { GatewayError, isGatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import {
  admit,
  type BreakerPolicy,
  type BreakerResult,
  type BreakerState,
  breakerStatus,
  CLOSED,
  record,
} from './circuit-breaker.js';

export interface GuardedConnectorOptions {
  readonly connector: ProcessorConnector;
  readonly breaker: BreakerPolicy;
  /** Monotonic milliseconds. */
  /** The breaker's time (monotonic) and the latency the metrics observe. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Every tokenisation: `outcome` is success, declined or the GW_ERR_* code; seconds include retries. */
  readonly observe?: (outcome: string, seconds: number) => void;
}

/** The processor did not act: it could not be reached, did not answer in time, or asked us to wait. */
function unreachable(error: unknown): boolean {
  return isGatewayError(error) && (error.retryable || error.code === 'GW_ERR_PROCESSOR_UNAVAILABLE');
}

/**
 * The configured connector behind a circuit breaker (circuit-breaker.ts), timed for /metrics. One
 * tokenisation (the connector's own retries, all with one idempotency key, included) is one
 * breaker result. While the breaker is open nothing is sent and the payment ends
 * payment-connector-error at once.
 */
export class GuardedConnector implements ProcessorConnector {
  readonly name: string;
  readonly #options: GuardedConnectorOptions;
  readonly #now: () => number;
  #state: BreakerState = CLOSED;

  constructor(options: GuardedConnectorOptions) {
    this.#options = options;
    this.name = options.connector.name;
    this.#now = () => options.clock.monotonic();
  }

  get breaker(): 'closed' | 'open' | 'half-open' {
    return breakerStatus(this.#state, this.#now());
  }

  async tokenise(request: TokeniseRequest): Promise<ProcessorResult> {
    const startedAt = this.#now();
    const admission = admit(this.#state, startedAt);
    this.#state = admission.state;
    if (!admission.allowed) {
      this.#options.observe?.('GW_ERR_PROCESSOR_UNAVAILABLE', 0);
      throw new GatewayError('GW_ERR_PROCESSOR_UNAVAILABLE', 'processor circuit breaker is open', {
        notSent: true,
      });
    }
    let result: BreakerResult = 'answered';
    let outcome = 'GW_ERR_INTERNAL';
    try {
      const reply = await this.#options.connector.tokenise(request);
      outcome = reply.outcome;
      return reply;
    } catch (error) {
      if (unreachable(error)) result = 'unreachable';
      if (isGatewayError(error)) outcome = error.code;
      throw error;
    } finally {
      const now = this.#now();
      const before = breakerStatus(this.#state, now);
      this.#state = record(this.#options.breaker, this.#state, result, now);
      const after = breakerStatus(this.#state, now);
      if (before !== after) {
        const log = this.#options.logger;
        if (after === 'open') {
          log.error(
            { code: 'GW_ERR_PROCESSOR_UNAVAILABLE', coolDownMs: this.#options.breaker.coolDownMs },
            'processor circuit breaker open: payments fail fast',
          );
        } else log.info({ breaker: after }, 'processor circuit breaker closed');
      }
      this.#options.observe?.(outcome, (now - startedAt) / 1000);
    }
  }

  /** Reconciliation asks the processor whatever the breaker's state: nothing is charged by asking. */
  lookup(request: LookupRequest): Promise<LookupResult> {
    const { connector } = this.#options;
    if (!connector.lookup) {
      return Promise.reject(
        new GatewayError('GW_ERR_PROCESSOR_PROTOCOL', `processor "${this.name}" cannot look requests up`),
      );
    }
    return connector.lookup(request);
  }

  close(): Promise<void> {
    return this.#options.connector.close();
  }
}
