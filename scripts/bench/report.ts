/** The bench's table (terminal) and docs/benchmarks.md. */
import type { LevelSummary } from './level-summary.js';
import type { MachineInfo } from './machine.js';
import { formatSpread, type Spread } from './stats.js';

const COLUMNS = [
  'calls',
  'masking',
  'set up',
  'paid',
  'leaks (sampled)',
  'DTMF→screen p50 ms',
  'p99 ms',
  'last key→outcome p50 ms',
  'p99 ms',
  'CPU % rtpengine',
  'Kamailio',
  'gateway',
  'SIPp',
  'gateway peak MiB',
  'of which at start',
  'keys wrong / DTMF drops',
  'held',
] as const;

function row(level: LevelSummary): string[] {
  const count = (value: Spread | undefined) => formatSpread(value, 0);
  const ms = (value: Spread | undefined) => formatSpread(value, 1);
  const leaks =
    level.masking === 'off'
      ? `${level.leakyCalls}/${level.sampled} (off)`
      : `${level.leakyCalls}/${level.sampled}${level.quietSamples ? ` (${level.quietSamples} quiet)` : ''}`;
  return [
    String(level.calls),
    level.masking,
    count(level.setUp),
    count(level.succeeded),
    leaks,
    ms(level.keyToScreenP50),
    ms(level.keyToScreenP99),
    formatSpread(level.outcomeP50, 0),
    formatSpread(level.outcomeP99, 0),
    ms(level.cpu.rtpengine),
    ms(level.cpu.kamailio),
    ms(level.cpu.gateway),
    ms(level.cpu.sipp),
    formatSpread(level.gatewayPeakMib, 0),
    formatSpread(level.gatewayStartPeakMib, 0),
    `${level.wrongKeyCountCalls} / ${level.dtmfDrops}`,
    level.masking === 'off' ? '–' : level.held ? 'yes' : 'NO',
  ];
}

export function textTable(levels: readonly LevelSummary[]): string {
  const rows = [COLUMNS.map(String), ...levels.map(row)];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((cells) => (cells[column] ?? '').length)));
  return rows
    .map((cells) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '))
    .join('\n');
}

export function markdownTable(levels: readonly LevelSummary[]): string {
  const lines = [`| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map(() => '---').join('|')}|`];
  for (const level of levels) lines.push(`| ${row(level).join(' | ')} |`);
  return lines.join('\n');
}

export interface BenchReport {
  readonly date: string;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly runs: number;
  readonly rate: number;
  readonly sample: number;
  readonly levels: readonly LevelSummary[];
  readonly unmasked: LevelSummary | undefined;
  readonly largestHeld: number | undefined;
  /** rtpengine CPU masked ÷ unmasked at the same N (medians). */
  readonly maskingCpuRatio: number | undefined;
  readonly stopReason: string;
}

export function headline(report: BenchReport): string {
  const largest = report.largestHeld === undefined ? 'none' : String(report.largestHeld);
  const ratio = report.maskingCpuRatio === undefined ? '–' : `${report.maskingCpuRatio.toFixed(2)}×`;
  return `largest load that held: ${largest} concurrent calls with payments; masking costs ${ratio} rtpengine CPU (${report.stopReason})`;
}

export function benchmarksMarkdown(report: BenchReport): string {
  const m = report.machine;
  const all = report.unmasked ? [...report.levels, report.unmasked] : report.levels;
  const problems = all.flatMap((level) =>
    level.problems.map((problem) => `- ${level.calls} calls, masking ${level.masking}: ${problem}`),
  );
  return `# Benchmarks: capacity and latency on the real stack

Reproduce with \`${report.command}\` (it writes this file). Measured ${report.date}.

## Machine

| | |
|---|---|
| CPU | ${m.cpuModel}, ${m.cpus} cores (nproc) |
| memory | ${m.memoryGib} GiB |
| kernel | ${m.kernel} |
| Kamailio / rtpengine / SIPp / Node | ${m.kamailio} / ${m.rtpengine} / ${m.sipp} / ${m.node} |

Everything on this one machine, loopback only: SIPp customers and agents, Kamailio, rtpengine
(userspace, \`--table=-1\`), the gateway, the sandbox processor, and the bench itself.

## Result

**${headline(report)}.**

Each figure is the median of ${report.runs} run(s), with the spread (min–max) in brackets.

${markdownTable(all)}

- *set up*: calls the gateway listed as answered (\`GET /v1/calls\`); *paid*: payments that ended
  \`succeeded\` (the sandbox approved the card). A load *held* when, in every run, all calls were up,
  every payment succeeded and no sampled agent heard a digit.
- *leaks*: sampled calls whose agent received a telephone-event carrying a digit or DTMF tone
  (Goertzel detector on the decoded PCMU), over all runs. With masking off the agent does hear the
  digits: that row is the positive control of the check, not a failure.
- *DTMF→screen*: from the arrival of a digit's DTMF datagram at the gateway (the time its DTMF
  receive thread read it, in the listener's \`DTMF report accepted\` debug line, which holds the
  time and the Call-ID, never the key) to the bench receiving the SSE frame that shows it; the
  per-run percentile over every key of every call. It includes the wait for the gateway's main
  thread. (Figures of 2026-11-23 before 11:20 started at the main thread's read instead, which hid
  that wait: up to 117 ms at 150 calls. Until 14:25 the bench received frames with \`fetch\` on the
  thread that also ran the sampled agents' RTP endpoints: at 50 calls the median was 1.1 ms, now
  0.7, medians of 5 runs each.)
- *last key→outcome*: from the last key's datagram to the SSE frame with the outcome (includes the
  tokenisation at the sandbox over mTLS + JWE), over succeeded payments. (Figures of 2026-11-23
  09:51 and before also counted failed payments, whose outcome comes at hang-up: the ~5 s p99 at 150.)
- *CPU*: share of one core (100 % = one core; the machine has ${m.cpus}) from /proc/<pid>/stat
  utime + stime over the window in which all calls were up, summed over Kamailio's processes; SIPp
  is both SIPp processes. The bench process itself (all its threads): ${formatSpread(report.levels.at(-1)?.cpu.bench, 1)} % at the last level.
- *gateway peak*: VmHWM of the gateway process, started fresh for every run.

## Method

- \`./scripts/tonewall bench\` starts its own stack in \`.run/bench\` on ports apart from the
  defaults (SIP 7060, evapi 7448, JSON-RPC 7071, rtpengine NG 7223 / CLI 7224 / RTP 20000–27999,
  DTMF reports 7999, gateway 7080, sandbox 7443; customers at 127.0.0.1, agents at 127.0.0.4:7080),
  the sandbox processor and the gateway as processes (debug log level, no prompts: agent-spoken
  instructions; rtpengine, Kamailio and the gateway with the settings \`./scripts/tonewall up\` uses),
  and stops all of them by PID at the end, on failure and on Ctrl-C. A second bench refuses to
  start while one runs (\`.run/bench/bench.lock\` holds the running bench's PID; the SIP ports must
  be free too).
- Per run, one SIPp process places N calls (\`test/sipp/bench-customer.xml\`, \`-m N -l N -r ${report.rate}\`)
  through Kamailio and rtpengine to one SIPp agent process (\`test/sipp/bench-agent.xml\`, one agent
  per line of an injection file). Customers offer PCMU + telephone-event and play PCMU silence,
  then key \`4242424242424242#\`, a future expiry and \`123\` as RFC 4733 events (80 ms events, 100 ms
  gaps) after a lead-in that covers the ramp plus 3 s, so every call keys while all N are up
  (\`play_pcap_audio\`: a SIPp thread per call). Agents talk back with a 440 Hz PCMU tone for the
  whole call: SIPp's \`rtp_stream\` looping one second of µ-law from its media port, a few threads
  for all calls (until 2026-11-23 14:25 a pcap per call, a thread each: about 2.7× the agent
  process's CPU at 50 calls). Its packets leave on the same 20 ms ticks for every call; the
  customers' keep the phase of their call's answer.
- The bench polls \`GET /v1/calls\` (every 100 ms until all N are up, then no more), starts a
  payment (integration key, security code required) on each call as it appears and follows its SSE
  stream with \`node:http\` (a keep-alive Agent, a connection per stream), noting each chunk's
  arrival (wall clock, \`performance.timeOrigin + performance.now()\`, as the gateway's times) and
  parsing the frames only once the stream has ended. The sandbox processor answers.
- ${report.sample} calls per run (spread over the ramp) are answered by agents whose SDP points at
  an RTP endpoint of the bench instead of SIPp: it records every packet the agent receives and talks
  back from the same socket. The endpoints run on a worker thread of the bench, which also analyses
  what they recorded after the load, so the thread that notes SSE arrivals has nothing else to do
  while the calls key. Only those calls are checked for leaks (decoding and Goertzel-analysing
  every call's audio would load the machine being measured).
- Masking off: the same N with \`TONEWALL_BLOCK_DTMF_FLAGS=delay-buffer=0\` (a plain block, no
  delay buffer, no detector) and an NG \`unblock DTMF\` (\`delay-buffer: 0\`) sent by the bench as
  each call appears, so rtpengine relays the call untouched. Masking cost = rtpengine CPU masked ÷
  unmasked (medians).
- Levels step up until one does not hold or the machine saturates (all measured processes together
  above 90 % of all cores); ${report.stopReason}.

## What limits it, and what was fixed (found while building the bench, 2026-11-23)

- **Fixed (ours): keys lost at the gateway's DTMF socket.** At 150 paying calls the gateway's UDP
  socket (208 KiB default receive buffer, ~250 reports) overflowed whenever its event loop paused,
  676–1718 reports per load were dropped by the kernel and most payments failed. The listener now
  asks for 4 MiB (\`SO_RCVBUF\`, capped by \`net.core.rmem_max\`, which is 4 MiB on this machine
  but 208 KiB on a stock kernel: set \`sysctl net.core.rmem_max=4194304\` on gateway hosts). The
  table's *DTMF drops* count what the kernel still dropped (\`/proc/net/udp\`).
- **Fixed (ours): about one payment in 25 failed with \`payment-connector-error\`.** Payment ids
  are 32 random hex characters; when 13 or more of them were decimal digits in a row the sandbox
  refused the idempotency key (\`<id>:tokenise\`) as card-number-like. Payment and call ids are
  now never issued with such a run (\`src/domain/resource-id.ts\`).
- **Fixed (ours): a key lost or counted twice under load.** rtpengine reports each RFC 4733 key
  twice (the event and the in-band detector hearing it rendered, docs/media.md); the gateway drops
  a second report of the same key within the tone's duration + 60 ms of the first. It timed reports
  when its event loop *read* them. A capture of the reports on the wire (tshark on \`lo\`, 150
  calls) showed rtpengine's timing to be steady — the second report 39–49 ms after the first,
  genuine repeats (the \`22\` of the expiry \`1229\`) 177 ms apart or more — while the gateway read
  them up to 117 ms late (p90 70 ms) behind bursts of key presses, so a repeat could look like a
  duplicate (23 keys) and a duplicate like a repeat (25 keys). In 2 of 3 runs 14–22 calls failed.
  The reports are now read and time-stamped on a thread of their own (\`DtmfReceiveThread\`),
  within 1.3 ms of the wire at p90 (5.5 ms p99) in the same load. With the 200 ms delay buffer
  rtpengine runs near a full core at 150 calls and one call in one run got a 25th key (a second
  report more than 140 ms after its first): the rule now pairs each accepted report with at most
  one duplicate, with 400 ms of slack once a party's keys have come in pairs (docs/media.md).
- **Fixed (ours): the gateway's main thread fell behind at 150 calls.** With arrival timed on the
  receive thread the main thread's backlog showed: reports waited 666 ms (median) for it while
  all 150 calls keyed. A CPU profile (\`--profile\`) put most of each key's ~0.85 ms in the audit
  record written per key press (an Ed25519 signature, canonical JSON, group-committed writes: 833
  signed records a second), and 100–200 ms pauses in TLS connections to the processor, each
  parsing the client certificate, key and CA again. The audit now records state changes only (a key
  that only adds a digit is not one, docs/audit.md) and the processor transport builds one TLS
  context: the wait for the main thread fell to 8 ms at p99 in a quiet run, and DTMF→screen with
  it. Later: the signed head rewritten when the audit writes catch up (not per batch), no log or
  status-store line for a key that only adds a digit, the supervisor board pruned per finished
  payment (it walked every entry per key), the bench's \`GET /v1/calls\` polling stopped once all
  calls are up, the Stripe SDK loaded only when configured, the status file read line by line.
- **Fixed (ours and how rtpengine is run): DTMF→screen p99 at 150 calls over the 20 ms aim.** In
  the runs of 2026-11-23 12:34 the per-run p99 was 28–250 ms (median 45): both cores were busy
  (rtpengine 76–84 % of a core with the 200 ms delay buffer, SIPp ~35 %, the gateway ~30 %, the bench
  ~10 %) and reports waited for the gateway's main thread (the listener's \`queuedMs\`: p99 26, 41 and
  248 ms; in one run it fell behind for 2.7 s). Measured one change at a time, 3 runs of 150 calls
  each, 2026-11-23 14:05–14:55: the receive thread now validates each report and drops rtpengine's
  duplicates itself, so the main thread gets one message per key press (p99 16.3 ms, was 44.8 the
  same hour); the audit log is signed, chained and written on a thread of its own
  (\`AuditStoreThread\`, docs/audit.md), log lines go out in 4 KiB / 100 ms batches, the supervisor
  board ignores keys that only add a digit, and the bench follows SSE with \`node:http\` on a thread
  with nothing else to do and lets SIPp's agents talk with \`rtp_stream\` (p99 12.7 ms, SIPp 21 % of
  a core instead of 33 %); the gateway runs with \`--max-semi-space-size=4\` (peak 146 MiB instead of
  172, same p99); rtpengine runs one worker thread on this 2-core machine (\`--num-threads\`, cores −
  1, \`TONEWALL_RTPE_THREADS\`): 44 % of a core instead of 61–69 % at 150 masked calls, p99 8.9 ms.
- **What limits it now: rtpengine's masking, then the two cores.** At 300 calls rtpengine takes ~80 %
  of a core (masking cost 2.2× its pass-through CPU at 250 calls: it decodes every customer packet for
  the in-band detector and holds it 200 ms in the delay buffer), SIPp ~38 %, the gateway ~32 %, and
  the load fails (2026-11-23 15:15): 5 payments of one run and 3 of another did not finish before
  their call ended (in the first, 4 calls got a 25th key: a duplicate report past the filter's
  window), and p99 DTMF→screen passed 20 ms. The masking cost is rtpengine's; a larger machine, or rtpengine on a
  host of its own, raises the limit.
- **Masking delay buffer 200 ms (was 60).** The bench once found ~20 ms of tone reaching the agent
  when RFC 4733 events were off the 20 ms frame grid (rtpengine 10.5 with its in-band detector on).
  docs/media.md ("Events off the frame grid") measured every layout: 60–150 ms leaked 20–40 ms of
  some tones, 200 ms masked all. The figures above are with 200 ms (the default since 2026-11-23
  12:22); earlier figures were at 60 ms.
- **Gateway memory:** most of the peak is reached at start-up, before any call (the *of which at start*
  figure); the load adds 0–20 MiB. The gateway runs with \`--max-semi-space-size=4\` wherever it is
  started (Node's default young generation grew to 16 MiB semi-spaces under start-up's and the load's
  allocation and RSS stayed there: ~25 MiB more); its two worker threads (DTMF reports, audit log) have
  capped young generations and cost ~10 MiB each. Start-up is mostly the libraries (express, zod, pino, jose,
  prom-client: 9–15 MiB each measured alone) and V8's young generation; the Stripe SDK (~20 MiB) is
  now loaded only when the Stripe connector is configured. Reading a long \`payments.jsonl\` and
  audit log at start (the bench's grow run after run) adds 10–25 MiB to the peak.
- **Kamailio's CPU** is near 0 in the window because SIP happens at set-up and hang-up, outside it.

${problems.length > 0 ? `## What went wrong in runs\n\n${problems.join('\n')}\n` : ''}`;
}
