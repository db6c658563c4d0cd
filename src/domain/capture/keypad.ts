/** One key of a telephone keypad, as RFC 4733 numbers them (events 0–15). */
export type KeypadKey =
  | '0'
  | '1'
  | '2'
  | '3'
  | '4'
  | '5'
  | '6'
  | '7'
  | '8'
  | '9'
  | '*'
  | '#'
  | 'A'
  | 'B'
  | 'C'
  | 'D';

const KEYS_BY_EVENT: readonly KeypadKey[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
];

/** Maps an RFC 4733 DTMF event code (0–15) to its key; undefined for anything else. */
export function keyFromEventCode(event: number): KeypadKey | undefined {
  return Number.isInteger(event) ? KEYS_BY_EVENT[event] : undefined;
}

export function isDigitKey(key: KeypadKey): boolean {
  return key >= '0' && key <= '9';
}
