import type { KeypadKey } from '../../domain/capture/keypad.js';
import type { Logger } from '../../logger.js';
import type { Call, CallRegistry } from '../calls/call-registry.js';
import type { KeyPress } from './key-press.js';

/** Whatever captures a customer's keys on a call (the payment service). */
export interface CustomerKeySink {
  onCustomerKey(call: Call, key: KeypadKey): void;
}

export interface DtmfRouterStats {
  customer: number;
  agentIgnored: number;
  unknownCall: number;
  unknownTag: number;
}

/**
 * Routes each reported key by SIP Call-ID and source tag: only the customer's keys reach the sink;
 * the agent's keys and keys of calls the gateway doesn't know are counted and dropped.
 */
export class DtmfRouter {
  readonly #registry: CallRegistry;
  readonly #sink: CustomerKeySink;
  readonly #logger: Logger;
  readonly #stats: DtmfRouterStats = { customer: 0, agentIgnored: 0, unknownCall: 0, unknownTag: 0 };

  constructor(options: { registry: CallRegistry; sink: CustomerKeySink; logger: Logger }) {
    this.#registry = options.registry;
    this.#sink = options.sink;
    this.#logger = options.logger;
  }

  get stats(): Readonly<DtmfRouterStats> {
    return { ...this.#stats };
  }

  route(event: KeyPress): void {
    const call = this.#registry.bySipCallId(event.sipCallId);
    if (!call) {
      this.#stats.unknownCall += 1;
      this.#logger.debug('DTMF event for an unknown call ignored');
      return;
    }
    if (event.sourceTag === call.customerTag) {
      this.#stats.customer += 1;
      this.#sink.onCustomerKey(call, event.key);
      return;
    }
    if (event.sourceTag === call.agentTag) {
      this.#stats.agentIgnored += 1;
      return;
    }
    this.#stats.unknownTag += 1;
    this.#logger.warn({ callId: call.id }, 'DTMF event with a tag that is neither party of the call ignored');
  }
}
