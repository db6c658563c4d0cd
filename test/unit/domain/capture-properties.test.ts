/**
 * Properties of whole captures driven by arbitrary sequences of keys, timeouts, agent requests,
 * hang-ups and processor results:
 * - no serialisation of the session (state, agent view, commands; JSON, String, util.inspect) holds
 *   five keyed digits in order, even split by up to three other characters;
 * - once the payment has ended, every digit buffer is empty and all zero;
 * - keys that arrive when no field is capturing change nothing and are not stored.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toAgentView } from '../../../src/domain/capture/agent-view.js';
import type { CaptureCommand } from '../../../src/domain/capture/capture-commands.js';
import type { CaptureEvent, TokenisationOutcome } from '../../../src/domain/capture/capture-events.js';
import { startCapture, transition } from '../../../src/domain/capture/capture-machine.js';
import type { CaptureSettings } from '../../../src/domain/capture/capture-settings.js';
import type { CaptureState } from '../../../src/domain/capture/capture-state.js';
import { CAPTURE_FIELDS, isTerminalStatus } from '../../../src/domain/capture/capture-types.js';
import type { KeypadKey } from '../../../src/domain/capture/keypad.js';
import { revealCardForConnector } from '../../../src/domain/card/reveal-card.js';
import { allWiped, FakeClock, withCheckDigit } from './support.js';

type AgentOrCallEvent = 'capture' | 'complete' | 'cancel' | 'hang-up' | 'internal-error';

type Action =
  | { kind: 'keys'; keys: string }
  | { kind: 'valid'; body: string; amex: boolean }
  | { kind: 'wait'; ms: number }
  | { kind: 'reveal' }
  | { kind: 'event'; event: AgentOrCallEvent; field: number }
  | { kind: 'processor'; result: TokenisationOutcome };

const digitString = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

const keyString = fc.string({
  unit: fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...'0123456789') },
    { weight: 1, arbitrary: fc.constantFrom('*', '#', 'A', 'B', 'C', 'D') },
  ),
  minLength: 1,
  maxLength: 24,
});

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: keyString.map((keys) => ({ kind: 'keys' as const, keys })) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('valid' as const),
      body: digitString(14, 14),
      amex: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 20_000 }).map((ms) => ({ kind: 'wait' as const, ms })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reveal' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      event: fc.constantFrom<AgentOrCallEvent>(
        'capture',
        'capture',
        'complete',
        'cancel',
        'hang-up',
        'internal-error',
      ),
      field: fc.nat({ max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<TokenisationOutcome>(
        { outcome: 'success', token: 'tok_x', confirmationCode: 'CONF' },
        { outcome: 'declined' },
        { outcome: 'payment-connector-error' },
      )
      .map((result) => ({ kind: 'processor' as const, result })),
  },
);

const settings: fc.Arbitrary<CaptureSettings> = fc.record({
  captureMode: fc.constantFrom('auto', 'agent'),
  securityCode: fc.boolean(),
  postalCode: fc.boolean(),
  maxAttempts: fc.integer({ min: 1, max: 4 }),
  postalCodeLength: fc
    .tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }))
    .map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) })),
});

/** The keys that make a valid entry for whatever field is capturing. */
function validKeys(state: CaptureState, body: string, amex: boolean): string {
  switch (state.capture) {
    case 'payment-card-number':
      return amex ? withCheckDigit(`37${body.slice(0, 12)}`) : `${withCheckDigit(`4${body}`)}#`;
    case 'expiration-date':
      return '1230';
    case 'security-code':
      if (state.card.brand === undefined) return `${body.slice(0, 3)}#`;
      return body.slice(0, state.card.brand === 'amex' ? 4 : 3);
    case 'postal-code': {
      const { min, max } = state.settings.postalCodeLength;
      return body.slice(0, min) + (min < max ? '#' : '');
    }
    default:
      return withCheckDigit(`4${body}`);
  }
}

/**
 * Clock readings and timer settings are not keyed, nor is the 4 in the property name `last4`; they
 * are taken out before looking for digits.
 */
function withoutClockValues(text: string): string {
  return text
    .replace(
      /(deadline|expiresAt|at|firstDigitTimeoutMs|interDigitTimeoutMs|maxDurationMs)("?\s*:\s*)\d+/g,
      '$1$2T',
    )
    .replaceAll('last4', 'lastFour');
}

/** Every five digits of `text` in order with at most three other characters between neighbours. */
function digitRuns(text: string): string[] {
  const positions = [...text.matchAll(/\d/g)].map((match) => match.index);
  const runs: string[] = [];
  for (let start = 0; start + 5 <= positions.length; start += 1) {
    const run = positions.slice(start, start + 5);
    if (run.every((at, i) => i === 0 || at - (run[i - 1] ?? 0) <= 4))
      runs.push(run.map((at) => text[at]).join(''));
  }
  return runs;
}

function serialisations(state: CaptureState, commands: readonly CaptureCommand[]): string[] {
  const view = toAgentView(state);
  const fields = Object.values(state.fields);
  return [
    JSON.stringify(state),
    JSON.stringify(view),
    JSON.stringify(commands),
    String(state),
    `${state.card.last4 ?? ''}`,
    inspect(state, { depth: null }),
    inspect(state, { depth: null, showHidden: true }),
    inspect(view, { depth: null }),
    inspect(commands, { depth: null }),
    ...fields.map((field) => String(field.digits)),
    ...fields.map((field) => inspect(field, { depth: null })),
  ].map(withoutClockValues);
}

function expectNoKeyedRun(keyed: string, outputs: readonly string[]): void {
  const windows = new Set<string>();
  for (let i = 0; i + 5 <= keyed.length; i += 1) windows.add(keyed.slice(i, i + 5));
  for (const output of outputs) {
    for (const run of digitRuns(output)) {
      if (windows.has(run)) expect.fail(`a serialisation holds five keyed digits in order: ${output}`);
    }
  }
}

function bufferLengths(state: CaptureState): number[] {
  return Object.values(state.fields).map((field) => field.digits.length);
}

async function run(chosen: CaptureSettings, actions: readonly Action[]): Promise<CaptureState> {
  const clock = new FakeClock();
  let { state, commands } = startCapture({
    id: 'pay-x',
    callId: 'call-x',
    settings: chosen,
    now: clock.now(),
  });
  let keyed = '';

  const step = (event: CaptureEvent): void => {
    const before = state;
    const lengthsBefore = bufferLengths(before);
    const idle = before.status !== 'in-progress' || before.capture === null;
    ({ state, commands } = transition(state, event));
    if (event.type === 'key' && idle) {
      expect(state).toBe(before);
      expect(bufferLengths(state)).toEqual(lengthsBefore);
    }
    expectNoKeyedRun(keyed, serialisations(state, commands));
    if (isTerminalStatus(state.status)) expect(allWiped(state)).toBe(true);
  };

  const press = (keys: string): void => {
    for (const key of keys) {
      if (key >= '0' && key <= '9') keyed += key;
      step({ type: 'key', key: key as KeypadKey, now: clock.advance(150) });
    }
  };

  for (const next of actions) {
    switch (next.kind) {
      case 'keys':
        press(next.keys);
        break;
      case 'valid':
        press(validKeys(state, next.body, next.amex));
        break;
      case 'wait':
        step({ type: 'timeout', now: clock.advance(next.ms) });
        break;
      case 'processor':
        step({ type: 'processor-result', result: next.result, now: clock.now() });
        break;
      case 'event':
        step(
          next.event === 'capture'
            ? {
                type: 'capture',
                field: CAPTURE_FIELDS[next.field] ?? 'payment-card-number',
                now: clock.now(),
              }
            : { type: next.event, now: clock.now() },
        );
        break;
      case 'reveal':
        await revealCardForConnector(state, () => undefined).catch(() => undefined);
        expect(allWiped(state)).toBe(true);
        break;
    }
  }
  return state;
}

describe('capture properties', () => {
  it('no keyed run leaks, ended payments hold only zeros, idle keys are dropped', async () => {
    await fc.assert(
      fc.asyncProperty(
        settings,
        fc.array(action, { minLength: 1, maxLength: 40 }),
        async (chosen, actions) => {
          await run(chosen, actions);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Keys valid for every requested field (asked for by the agent in agent mode), then one ending. */
function throughEveryField(chosen: CaptureSettings, body: string, amex: boolean): Action[] {
  const fields = CAPTURE_FIELDS.filter(
    (field) =>
      (field !== 'security-code' || chosen.securityCode !== false) &&
      (field !== 'postal-code' || chosen.postalCode),
  );
  if (chosen.captureMode !== 'agent') return fields.map(() => ({ kind: 'valid', body, amex }));
  return [
    ...fields.flatMap((field): Action[] => [
      { kind: 'event', event: 'capture', field: CAPTURE_FIELDS.indexOf(field) },
      { kind: 'valid', body, amex },
    ]),
    { kind: 'event', event: 'complete', field: 0 },
  ];
}

const ENDINGS: ReadonlyArray<[string, Action[], string]> = [
  [
    'success',
    [
      { kind: 'reveal' },
      { kind: 'processor', result: { outcome: 'success', token: 't', confirmationCode: 'c' } },
    ],
    'succeeded',
  ],
  ['declined', [{ kind: 'reveal' }, { kind: 'processor', result: { outcome: 'declined' } }], 'failed'],
  ['connector error', [{ kind: 'processor', result: { outcome: 'payment-connector-error' } }], 'failed'],
  [
    'hang-up while processing, then success',
    [
      { kind: 'event', event: 'hang-up', field: 0 },
      { kind: 'processor', result: { outcome: 'success', token: 't', confirmationCode: 'c' } },
    ],
    'succeeded',
  ],
  ['internal error', [{ kind: 'event', event: 'internal-error', field: 0 }], 'failed'],
];

const EARLY_ENDINGS: ReadonlyArray<[string, Action, string]> = [
  ['cancel', { kind: 'event', event: 'cancel', field: 0 }, 'cancelled'],
  ['hang-up', { kind: 'event', event: 'hang-up', field: 0 }, 'failed'],
  ['internal error', { kind: 'event', event: 'internal-error', field: 0 }, 'failed'],
];

describe('capture properties on every ending', () => {
  it.each(ENDINGS)('after every field is valid: %s', async (_case, ending, status) => {
    await fc.assert(
      fc.asyncProperty(settings, digitString(14, 14), fc.boolean(), async (chosen, body, amex) => {
        const state = await run(chosen, [...throughEveryField(chosen, body, amex), ...ending]);
        expect(state.status).toBe(status);
      }),
      { numRuns: 60 },
    );
  });

  it.each(EARLY_ENDINGS)('part way through the fields: %s', async (_case, ending, status) => {
    await fc.assert(
      fc.asyncProperty(
        settings,
        digitString(14, 14),
        fc.boolean(),
        fc.nat(),
        async (chosen, body, amex, cut) => {
          const path = throughEveryField(chosen, body, amex);
          const state = await run(chosen, [...path.slice(0, cut % path.length), ending]);
          expect(state.status).toBe(status);
        },
      ),
      { numRuns: 60 },
    );
  });
});
