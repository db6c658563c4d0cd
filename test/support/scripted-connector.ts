import type {
  LookupRequest,
  LookupResult,
  ProcessorConnector,
  ProcessorResult,
  TokeniseRequest,
} from '../../src/application/payments/processor-connector.js';

/** A connector double for the service's unit tests; the real sandbox runs in the integration tests. */
export class ScriptedConnector implements ProcessorConnector {
  readonly name = 'scripted';
  readonly requests: Array<Omit<TokeniseRequest, 'card'> & { cardLength: number }> = [];
  answer: (request: TokeniseRequest) => Promise<ProcessorResult> = async (request) => ({
    outcome: 'success',
    token: 'tok_1',
    last4: request.card.number.slice(-4),
    confirmationCode: 'CONF1',
  });

  readonly lookups: LookupRequest[] = [];
  /** What reconciliation hears; "nothing" by default. */
  lookupAnswer: (request: LookupRequest) => Promise<LookupResult> = async () => ({ found: 'nothing' });

  lookup(request: LookupRequest): Promise<LookupResult> {
    this.lookups.push(request);
    return this.lookupAnswer(request);
  }

  tokenise(request: TokeniseRequest): Promise<ProcessorResult> {
    const { card, ...rest } = request;
    this.requests.push({ ...rest, cardLength: card.number.length });
    return this.answer(request);
  }

  async close(): Promise<void> {}
}
