/** Reads the DTMF arrival times out of a gateway log (the listener's debug line; it holds no key). */
import { readFileSync } from 'node:fs';

/** SIP Call-ID → wall-clock arrival times of the accepted DTMF reports, in order. */
export function dtmfArrivals(logFile: string, fromByte = 0): Map<string, number[]> {
  const arrivals = new Map<string, number[]>();
  const text = readFileSync(logFile).subarray(fromByte).toString('utf8');
  for (const line of text.split('\n')) {
    if (!line.includes('"DTMF report accepted"')) continue;
    let entry: { sipCallId?: unknown; receivedAtS?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (typeof entry.sipCallId !== 'string' || typeof entry.receivedAtS !== 'number') continue;
    const list = arrivals.get(entry.sipCallId) ?? [];
    list.push(entry.receivedAtS * 1000);
    arrivals.set(entry.sipCallId, list);
  }
  return arrivals;
}

/** Lines of the gateway log (from `fromByte`) whose message contains `text` (no key is ever in one). */
export function countLogLines(logFile: string, text: string, fromByte = 0): number {
  const log = readFileSync(logFile).subarray(fromByte).toString('utf8');
  let count = 0;
  for (let at = log.indexOf(text); at >= 0; at = log.indexOf(text, at + text.length)) count += 1;
  return count;
}
