/** The pcaps SIPp plays in a load: the customer keying a card, the agent talking (PCMU). */
import { type DtmfPcap, rfc4733Pcap } from '../../test/support/dtmf-pcap.js';
import { PcapWriter } from '../../test/support/media/pcap-writer.js';
import { buildPcmuRtpStream } from '../../test/support/media/rtp-stream.js';
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

/** The agent: a 440 Hz tone at −20 dBFS as PCMU, `durationMs` long. */
export function agentPcap(durationMs: number): Buffer {
  const packets = buildPcmuRtpStream(sines({ frequenciesHz: [440], levelDbfs: -20, durationMs }), {
    ssrc: 0x6167656e,
  });
  const writer = new PcapWriter();
  const start = Date.UTC(2024, 0, 1) * 1000;
  for (const packet of packets) {
    writer.addUdp(start + Math.round(packet.offsetMs * 1000), {
      src: { address: '127.0.0.4', port: 6000 },
      dst: { address: '127.0.0.1', port: 10000 },
      payload: packet.bytes,
    });
  }
  return writer.toBuffer();
}
