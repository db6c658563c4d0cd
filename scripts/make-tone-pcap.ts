/**
 * Writes a pcap of one RTP stream (Ethernet/IPv4/UDP, 20 ms apart) for SIPp's play_pcap_audio:
 * a PCMU stream carrying a DTMF digit sequence as in-band tones, or (--rfc4733) PCMU silence
 * with the digits as RFC 4733 telephone-events.
 *
 *   npx tsx scripts/make-tone-pcap.ts --digits 4242424242424242# --level -20 \
 *     --tone-ms 100 --gap-ms 100 --out /tmp/x.pcap [--rfc4733 --pt 101]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dtmfSequence, parseDtmfDigits } from '../test/support/media/dtmf-tone.js';
import { PcapWriter } from '../test/support/media/pcap-writer.js';
import { buildPcmuRtpStream } from '../test/support/media/rtp-stream.js';
import { silence } from '../test/support/media/signal.js';

const USAGE = `usage: make-tone-pcap --digits DIGITS --out FILE [options]
  --digits D        digits to key: 0-9 * # A-D
  --out FILE        pcap file to write
  --level DBFS      level of EACH of the two tones, dBFS (default -20)
  --tone-ms MS      tone length (default 100)
  --gap-ms MS       silence between digits (default 100)
  --lead-in-ms MS   silence before the first digit (default 500)
  --tail-ms MS      silence after the last digit (default 500)
  --rfc4733         send digits as RFC 4733 telephone-events instead of tones
  --pt N            telephone-event payload type (default 101)
  --volume N        telephone-event volume, -dBm0 (default 10)
  --ssrc N          RTP SSRC (default 0x746f6e65)
  --src IP:PORT     source in the pcap (default 127.0.0.1:6000)
  --dst IP:PORT     destination in the pcap (default 127.0.0.1:10000)`;

function fail(message: string): never {
  console.error(`make-tone-pcap: ${message}\n${USAGE}`);
  process.exit(2);
}

function numberArg(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) fail(`--${name} must be a number`);
  return n;
}

function endpointArg(name: string, value: string | undefined, fallback: string) {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(value ?? fallback);
  if (!match?.[1] || !match[2] || Number(match[2]) > 65535) fail(`--${name} must be IPv4:PORT`);
  return { address: match[1], port: Number(match[2]) };
}

/** Lets negative numbers follow their option ("--level -20"), which parseArgs would reject. */
function joinNegativeValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    if (arg.startsWith('--') && !arg.includes('=') && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

const { values } = (() => {
  try {
    return parseArgs({
      args: joinNegativeValues(process.argv.slice(2)),
      options: {
        digits: { type: 'string' },
        out: { type: 'string' },
        level: { type: 'string' },
        'tone-ms': { type: 'string' },
        'gap-ms': { type: 'string' },
        'lead-in-ms': { type: 'string' },
        'tail-ms': { type: 'string' },
        rfc4733: { type: 'boolean', default: false },
        pt: { type: 'string' },
        volume: { type: 'string' },
        ssrc: { type: 'string' },
        src: { type: 'string' },
        dst: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.digits || !values.out) fail('--digits and --out are required');
try {
  parseDtmfDigits(values.digits);
} catch (error) {
  fail((error as Error).message);
}

const levelDbfs = numberArg('level', values.level, -20);
const toneMs = numberArg('tone-ms', values['tone-ms'], 100);
const gapMs = numberArg('gap-ms', values['gap-ms'], 100);
const leadInMs = numberArg('lead-in-ms', values['lead-in-ms'], 500);
const tailMs = numberArg('tail-ms', values['tail-ms'], 500);
const eventPayloadType = numberArg('pt', values.pt, 101);
const eventVolume = numberArg('volume', values.volume, 10);
const ssrc = numberArg('ssrc', values.ssrc, 0x746f6e65);
const src = endpointArg('src', values.src, '127.0.0.1:6000');
const dst = endpointArg('dst', values.dst, '127.0.0.1:10000');
if (toneMs <= 0 || gapMs < 0 || leadInMs < 0 || tailMs < 0) fail('durations must be positive');
if (!Number.isInteger(eventPayloadType) || eventPayloadType < 96 || eventPayloadType > 127) {
  fail('--pt must be a dynamic payload type (96-127)');
}

let sequence: ReturnType<typeof dtmfSequence>;
try {
  sequence = dtmfSequence(values.digits, { levelDbfs, toneMs, gapMs, leadInMs, tailMs });
} catch (error) {
  fail((error as Error).message);
}
const packets = values.rfc4733
  ? buildPcmuRtpStream(silence(sequence.durationMs), {
      ssrc,
      events: sequence.segments,
      eventPayloadType,
      eventVolume,
    })
  : buildPcmuRtpStream(sequence.pcm, { ssrc });

// A fixed capture start keeps the output byte-for-byte reproducible.
const START_US = Date.UTC(2024, 0, 1) * 1000;
const writer = new PcapWriter();
for (const packet of packets) {
  writer.addUdp(START_US + Math.round(packet.offsetMs * 1000), { src, dst, payload: packet.bytes });
}
writeFileSync(values.out, writer.toBuffer());
console.log(
  `make-tone-pcap: wrote ${values.out}: ${writer.packetCount} packets, ${sequence.durationMs} ms, ` +
    `${sequence.segments.length} digits as ${values.rfc4733 ? `RFC 4733 events (pt ${eventPayloadType})` : `in-band tones at ${levelDbfs} dBFS per tone`}, ` +
    `${src.address}:${src.port} -> ${dst.address}:${dst.port}`,
);
