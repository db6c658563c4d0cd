/**
 * What a person (agent, supervisor) sees of a payment: the agent view without the processor's token
 * and the card's expiry. The outcome, brand, last 4 and confirmation code are what an agent needs to
 * tell the customer; the token is for the integration that charges with it, and the expiry is card
 * data an agent has no use for (DESIGN.md rule 3). Status callbacks carry this view too (docs/webhooks.md);
 * integrations read the whole agent view, token and expiry included, with their key.
 */
import type { AgentView } from './agent-view.js';
import type { PaymentResult } from './capture-state.js';

type PeopleResult =
  | Omit<Extract<PaymentResult, { outcome: 'success' }>, 'token' | 'expMonth' | 'expYear'>
  | Exclude<PaymentResult, { outcome: 'success' }>;

export type PeopleView = Omit<AgentView, 'result'> & { readonly result?: PeopleResult };

export function toPeopleView(view: AgentView): PeopleView {
  const { result, ...rest } = view;
  if (result === undefined) return rest;
  if (result.outcome !== 'success') return { ...rest, result };
  const { token: _token, expMonth: _month, expYear: _year, ...shown } = result;
  return { ...rest, result: shown };
}
