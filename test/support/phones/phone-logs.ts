/** A phone's log (phone.ts): one file per phone process, and lines that name a key written without it. */
import { join } from 'node:path';

const KEY_CHARS = '[0-9*#A-D]';

/**
 * Replaces the key in a line that names one with `•`: baresip's `audio: send DTMF digit: '4'` (and
 * `… digit end: '4'`; `received event: '4'` of a baresip PBX), linphone-daemon's echo of its `dtmf 4` command.
 */
export function redactKeyLine(line: string): string {
  return line
    .replace(new RegExp(`(DTMF digit(?: end)?: ')${KEY_CHARS}'`, 'g'), "$1•'")
    .replace(new RegExp(`(received event: ')${KEY_CHARS}'`, 'g'), "$1•'")
    .replace(new RegExp(`(\\bdtmf\\s+)${KEY_CHARS}(?=\\s|$)`, 'g'), '$1•')
    .replace(new RegExp(`(\\bsndcode\\s+)${KEY_CHARS}+`, 'g'), '$1•');
}

let logCount = 0;

/** `<logDir>/<name>-<pid of this test process>-<n>.log`: one file per phone process. */
export function phoneLogFile(logDir: string, name: string): string {
  logCount += 1;
  return join(logDir, `${name}-${process.pid}-${logCount}.log`);
}
