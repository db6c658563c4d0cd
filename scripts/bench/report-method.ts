/** docs/benchmarks.md's sections on what its columns mean and how the bench measured (report.ts). */

import type { BenchData } from './bench-data.js';
import type { MaskingMode } from './bench-ports.js';
import { socketBuffersText } from './socket-buffers.js';

export function columnsAndMethod(data: BenchData, flags: (mode: MaskingMode) => string): string {
  const m = data.machine;
  return `## What the columns mean

- *set up*: calls the gateway listed as answered (\`GET /v1/calls\`); *paid %*: payments that ended
  \`succeeded\` (the sandbox approved the card), of the calls placed; *payable paid*: the same over
  the calls whose layout lets every key be captured (all but *end packet lost (end×1: none)*: rtpengine
  10.5 reports a key when its end packet comes, so a key whose end packets are all lost is masked but
  never reported; a real customer keys the field again; with masking off, nor the in-band layouts: no
  in-band detector runs on a pass-through call), over all runs. A masked level *held* when, in
  every run, all calls were up, every payable call paid, every call's agent stream was checked, no
  agent heard a digit, no call had a key too many or too few (none expected from the layout above),
  and every agent got at least half the customer's audio.
- *calls checked*: calls whose agent's whole stream reached an RTP endpoint of the bench that
  recorded every packet and analysed it after the call: telephone-events carrying a digit, and DTMF
  tone (Goertzel detector on the decoded PCMU, −60 dBFS per tone). *agent heard digits*: checked calls
  where it found either. Masked, that is a leak; with masking off it is the positive control (the
  check does hear digits that reach the agent). Calls where the agent got under half the customer's
  audio count as not proving anything (held = no).
- *keys wrong*: calls whose gateway accepted more or fewer keys than the layout lets it (the
  ${data.settings.keysPerCall} keyed, or none, above).
- *added delay*: one-way, customer → agent, measured on the wire (below); per run the median over
  its probe bursts, then the median and spread of the runs. *while capturing*: the two bursts in the
  lead-in, after the payment started and before the call's first key (masked, the gateway has muted
  the customer on the mute hop: none reaches the agent, so none is matched); *after the payment*: the
  three bursts ≥ 1 s after the last key, once the payment ended and the customer's audio was let
  through again (a call whose payment could not end is still muted). *largest burst*: the largest single burst's delay over all runs,
  with how many of the probe bursts sent were matched: a burst is matched to the first onset at the
  agent within 500 ms after it (audio-delay.ts), so unmatched bursts mean a delay over 500 ms, a burst
  lost, or a capture that started late (an overloaded machine sets the calls up late).
- *gateway DTMF read→bench SSE*: from the gateway's DTMF receive thread reading a key's report (its
  time, in the listener's \`DTMF report accepted\` debug line, which holds the time and the Call-ID,
  never the key) to the bench, on loopback, receiving the SSE frame that shows it; per run the
  percentile over every key of every call. It leaves out the customer's leg through rtpengine and the
  browser. *customer packet→agent desk*: from the customer's RFC 4733 end packet of a digit (the first
  copy, as tcpdump captured it on its way to the edge rtpengine) to the agent's desk, the gateway's UI
  in headless Chromium signed in as the call's agent (password and one-time code), drawing the new
  digit count (a MutationObserver on the steps' digit counts, the time taken in the next animation
  frame: \`performance.timeOrigin + performance.now()\`, the same wall clock as tcpdump's); key i is
  paired with the i-th count, no log line is read. Up to 5 of the probed calls a run, RFC 4733 layouts
  only (an in-band tone has no end packet); a desk opened after the first key, or whose count differs
  from the digits on the wire, is not paired. Per run the percentile over the paired digits; *keys* and
  *desks* are summed over the runs. Chromium runs on the same machine as the load.
  *last key→outcome*: from the last key's report to the frame with the outcome
  (includes tokenisation at the sandbox over mTLS + JWE), succeeded payments only.
- *CPU*: from /proc/<pid>/stat utime + stime over the window in which all calls were up; *both* is
  the two rtpengine processes summed; Kamailio is all its processes; SIPp both SIPp processes (the
  customers' media and both sides' SIP: the agents' media is the bench's since every call is checked,
  so SIPp and bench figures do not compare with benches before 2026-12-02); *bench* the bench process
  (with every agent's RTP endpoint on its media thread), the delay probe's tcpdump and the desks' headless Chromium (every process of it; benches before 2026-12-03 had no desks); *others* everything else the machine ran in the window (/proc/stat less the above): the
  shared machine's other work. *load avg*: the 1-minute load average as each run started.
- *DTMF / agent drops*: datagrams the kernel dropped at the gateway's DTMF socket / at the agents'
  endpoints (a dropped agent packet is one the check did not see), summed over the runs.

## Method

- Machine: ${m.cpuModel}, ${m.cpus} cores, ${m.memoryGib} GiB, kernel ${m.kernel}; Kamailio ${m.kamailio},
  rtpengine ${m.rtpengine}, SIPp ${m.sipp}, Node ${m.node}. Everything on this one machine, loopback
  only: SIPp customers and agents, Kamailio, the three rtpengines (userspace, \`--table=-1\`), the gateway,
  the sandbox processor, and the bench itself. Other helpers' test runs shared it (*others*).
  ${socketBuffersText(m.socketBuffers)}
- \`./scripts/tonewall bench\` starts its own stack in \`.run/bench\` on ports apart from the
  defaults (SIP 7060, evapi 7448, JSON-RPC 7071, edge rtpengine NG 7223, mask rtpengine NG
  7225, mute rtpengine NG 7229 (no CLI listeners), RTP 20000–31999 in thirds between them, DTMF reports 7999 (edge) and 7998 (mask), gateway 7080, sandbox
  7443; customers at 127.0.0.1, agents at 127.0.0.4:7080), the sandbox processor and the gateway as
  processes (debug log level; Kamailio, the rtpengines and the gateway with the settings
  \`./scripts/tonewall up\` uses), and stops all of them by PID at the end, on failure and on Ctrl-C.
  ${data.settings.prompts ? 'Prompts on, as `up` runs: the gateway plays the spoken prompts (scripts/make-prompts.ts, en-GB) to every customer through the edge rtpengine.' : 'Prompts off (`--no-prompts`, or benches before 2026-12-03): the gateway played no prompt.'}
- Masking settings per mode (scripts/lib/stack.sh as it resolved them): masked: ${flags('on')}; the
  gateway mutes the customer on the mute hop (\`block media\`) while a payment captures and lets the
  audio through \`TONEWALL_UNMUTE_DELAY_MS\` after it ends.
  Pass-through (3 hops): ${flags('off')}, and the bench sends \`unblock DTMF\` (\`delay-buffer: 0\`)
  to the edge and the mask hop as each call appears, so none blocks; the gateway's NG client for the
  mute hop points at a port nothing listens on (7227), so its capture mute goes nowhere. Pass-through (1 hop): the same, with
  Kamailio on a copy of sip-config/kamailio.cfg whose offers and answers go to the edge only
  (scripts/bench/one-hop.ts): the call crosses one rtpengine (the mask and mute rtpengines run idle).
- Per run, one SIPp process places N calls (\`-m N -l N -r ${data.settings.rate}\`) through Kamailio and
  the rtpengines to one SIPp agent process. Customer n keys the card (${data.settings.keysPerCall} keys:
  number, \`#\`, expiry, security code) in layout (n − 1) mod ${data.settings.mix.length} of the masking
  matrix (test/support/masking-matrix.ts, made by test/support/media/stream-layout.ts): ${data.settings.mix
    .map((name) => `*${name}*`)
    .join(', ')}. The in-band layouts' SDP offers telephone-event or not as their name says; the others
  offer it. Each customer's stream (scripts/bench/customer-mix.ts): PCMU silence covering the ramp
  plus 3 s (every call keys while all N are up), the layout's keys, silence to a point common to every
  layout (≥ 1 s after the last key), then 3 bursts of 1 kHz at −10 dBFS (200 ms, 1 s apart), so every
  call sends audio as long as the others; the lead-in has two such bursts 1.6 s and 0.6 s before
  its end (the delay while the payment captures, before the keys).
- Every call's agent SDP points at an RTP endpoint of the bench (SIPp answers only the SIP): one
  socket per call on a worker thread of the bench, which records every packet, talks back a 440 Hz
  tone on one shared 20 ms tick, and analyses each call's recording after the load.
- The added delay: once all calls are up the bench asks the edge rtpengine (\`query\`) where
  ${data.settings.probes} calls per run (one of each layout first, spread over the ramp) send their media, and
  tcpdump captures on \`lo\` those calls' customer → edge packets and the packets reaching their
  agents' endpoints. Each burst's delay is its onset at the agent minus its onset at the customer,
  both on the capture's clock (test/support/audio-delay.ts \`delayFromCapture\`).
- The bench polls \`GET /v1/calls\` (every 100 ms until all N are up), starts a payment
  (integration key, security code required) on each call as it appears and follows its SSE stream
  with \`node:http\`, noting each chunk's arrival and parsing the frames after the stream ended.
- Masked levels step up through the levels asked for, and stop early when a level loses over 5 % of
  its calls or payable payments, or the processes measured take over 90 % of all cores (a level that
  did not hold for one layout's sake says nothing of capacity); ${data.stopReason}. The baselines ran
  at ${data.baselineLevels.join(' and ') || '–'} calls (\`--baseline-level\`: numbers, or \`held\`, the largest masked
  level that held).`;
}
