/** What SIPp plays in a load: the customer keying a card (a pcap), the agent talking (µ-law audio). */
import { type DtmfPcap, rfc4733Pcap } from '../../test/support/dtmf-pcap.js';
import { encodePcmu } from '../../test/support/media/g711.js';
import { sines } from '../../test/support/media/signal.js';

/** Visa test card the sandbox approves, an expiry three years ahead, security code 123. */
export function cardKeys(now = new Date()): string {
  const expiry = `12${String((now.getUTCFullYear() + 3) % 100).padStart(2, '0')}`;
  return `4242424242424242#${expiry}123`;
}

/** The customer: `leadInMs` of PCMU silence (time to start the payment), then the keys as RFC 4733 events. */
export function customerPcap(keys: string, leadInMs: number): DtmfPcap {
  return rfc4733Pcap(keys, { leadInMs, toneMs: 80, gapMs: 100, tailMs: 1000 });
}

/**
 * The agent speaking, for SIPp's `rtp_stream` (raw µ-law, no header: SIPp 3.6 sends the file's bytes
 * as PCMU payloads, 160 to a 20 ms packet): one second of a 440 Hz tone at −20 dBFS, which SIPp loops
 * for the whole call. 440 whole cycles a second, so the loop has no seam.
 */
export function agentAudio(): Uint8Array {
  return encodePcmu(sines({ frequenciesHz: [440], levelDbfs: -20, durationMs: 1000 }));
}
