/**
 * Helpers for the domain tests: digit strings, a fake clock, key feeding, and a reference Luhn
 * written independently of src/domain/card/luhn.ts so that property tests do not check code against itself.
 */
import type { CaptureCommand } from '../../../src/domain/capture/capture-commands.js';
import type { CaptureEvent } from '../../../src/domain/capture/capture-events.js';
import {
  type CaptureTransition,
  startCapture,
  transition,
} from '../../../src/domain/capture/capture-machine.js';
import type { CaptureSettings } from '../../../src/domain/capture/capture-settings.js';
import type { CaptureState } from '../../../src/domain/capture/capture-state.js';
import type { KeypadKey } from '../../../src/domain/capture/keypad.js';

/** 2025-06-15T12:00:00Z: mid-month, so expiry tables read plainly. */
export const JUNE_2025 = Date.UTC(2025, 5, 15, 12, 0, 0);

export function digitsOf(text: string): number[] {
  return [...text].map((char) => {
    if (char < '0' || char > '9') throw new Error('digitsOf takes digits only');
    return Number(char);
  });
}

/** The Luhn check digit that completes `body`, computed the textbook way over a reversed string. */
export function referenceCheckDigit(body: string): string {
  const reversed = [...body].reverse().map(Number);
  const sum = reversed.reduce((total, digit, index) => {
    if (index % 2 === 1) return total + digit;
    const doubled = digit * 2;
    return total + Math.floor(doubled / 10) + (doubled % 10);
  }, 0);
  return String((10 - (sum % 10)) % 10);
}

export function withCheckDigit(body: string): string {
  return body + referenceCheckDigit(body);
}

export class FakeClock {
  #now: number;

  constructor(start = JUNE_2025) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): number {
    this.#now += ms;
    return this.#now;
  }
}

/** A capture driven step by step, collecting every command. */
export class Driver {
  state: CaptureState;
  readonly commands: CaptureCommand[] = [];
  last: CaptureTransition;

  constructor(
    start: CaptureTransition,
    readonly clock: FakeClock,
  ) {
    this.state = start.state;
    this.last = start;
    this.commands.push(...start.commands);
  }

  send(event: CaptureEvent): CaptureTransition {
    this.last = transition(this.state, event);
    this.state = this.last.state;
    this.commands.push(...this.last.commands);
    return this.last;
  }

  /**
   * Presses each key of `keys`, `stepMs` apart (the first one `stepMs` from now). Returns the commands
   * of all the presses; `last` keeps the transition of the final one.
   */
  press(keys: string, stepMs = 200): CaptureTransition {
    const all: CaptureCommand[] = [];
    for (const key of keys) {
      all.push(
        ...this.send({ type: 'key', key: key as KeypadKey, now: this.clock.advance(stepMs) }).commands,
      );
    }
    return { state: this.state, commands: all };
  }

  /** Lets `ms` pass and fires the timer, as the shell would. */
  wait(ms: number): CaptureTransition {
    return this.send({ type: 'timeout', now: this.clock.advance(ms) });
  }

  field(name: keyof CaptureState['fields']) {
    const capture = this.state.fields[name];
    if (capture === undefined) throw new Error(`no field ${name}`);
    return capture;
  }
}

/** A capture `pay-1` on call `call-1`, started now on a fresh fake clock. */
export function startDriver(settings: CaptureSettings = {}): Driver {
  const clock = new FakeClock();
  return new Driver(startCapture({ id: 'pay-1', callId: 'call-1', settings, now: clock.now() }), clock);
}

export function prompts(commands: readonly CaptureCommand[]): string[] {
  return commands.flatMap((command) => (command.type === 'play-prompt' ? [command.prompt] : []));
}

export function commandTypes(commands: readonly CaptureCommand[]): string[] {
  return commands.map((command) => command.type);
}

/** Every digit buffer of the capture is empty and all zero. */
export function allWiped(state: CaptureState): boolean {
  return Object.values(state.fields).every((field) => field.digits.isWiped());
}

/**
 * Published test card numbers, one or more per brand (every brand of card-brand-data.ts), with where
 * each is published: a processor's test-card list, or the test suite of credit-card-type itself
 * (braintree/credit-card-type src/__tests__/index.ts). Mir has no Luhn-valid number there: its
 * number is that suite's 2200… completed with a check digit (`luhn-completed`).
 */
export const TEST_CARDS = [
  { brand: 'visa', number: '4111111111111111', source: 'braintree' },
  { brand: 'visa', number: '4012888888881881', source: 'braintree' },
  { brand: 'visa', number: '4242424242424242', source: 'stripe' },
  { brand: 'mastercard', number: '5555555555554444', source: 'stripe' },
  { brand: 'mastercard', number: '2223003122003222', source: 'stripe' },
  { brand: 'mastercard', number: '5105105105105100', source: 'stripe' },
  { brand: 'amex', number: '378282246310005', source: 'stripe' },
  { brand: 'amex', number: '371449635398431', source: 'stripe' },
  { brand: 'discover', number: '6011111111111117', source: 'stripe' },
  { brand: 'discover', number: '6011000990139424', source: 'stripe' },
  { brand: 'jcb', number: '3530111333300000', source: 'braintree' },
  { brand: 'jcb', number: '3566002020360505', source: 'stripe' },
  { brand: 'diners-club', number: '36227206271667', source: 'stripe' },
  { brand: 'diners-club', number: '3056930009020004', source: 'stripe' },
  { brand: 'diners-club', number: '30569309025904', source: 'braintree' },
  { brand: 'unionpay', number: '6200000000000005', source: 'stripe' },
  { brand: 'unionpay', number: '6205500000000000004', source: 'stripe' },
  { brand: 'unionpay', number: '8100513433325374', source: 'credit-card-type tests' },
  { brand: 'maestro', number: '6759649826438453', source: 'the earlier hand-kept table' },
  { brand: 'maestro', number: '6304000000000000', source: 'braintree' },
  { brand: 'maestro', number: '6799990100000000019', source: 'braintree' },
  { brand: 'elo', number: '5066991111111118', source: 'adyen' },
  { brand: 'elo', number: '6362970000457013', source: 'adyen' },
  { brand: 'elo', number: '6277809990229178', source: 'credit-card-type tests' },
  { brand: 'hipercard', number: '6062828888666688', source: 'adyen' },
  { brand: 'hiper', number: '6370950000000005', source: 'credit-card-type tests' },
  { brand: 'troy', number: '9792100000000001', source: 'credit-card-type tests' },
  { brand: 'troy', number: '6502740000000001', source: 'credit-card-type tests' },
  { brand: 'naranja', number: '5895626292990446', source: 'credit-card-type tests' },
  { brand: 'verve', number: '5061460410120223210', source: 'flutterwave' },
  { brand: 'mir', number: '2200000000000004', source: 'luhn-completed' },
] as const;
