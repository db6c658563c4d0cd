/**
 * What rtpengine 10.5 does on failover with its Redis keyspace (issue 19, item 1), measured on this
 * machine: one masked call (the mask hop's block: DTMF-security silence, delay-buffer 70, detect-DTMF),
 * set up by NG alone, the customer keying in-band tones at −20 dBFS for 7 s; the engine carrying it is
 * SIGKILLed at 3 s. Per scenario: what Redis held of the call's masking, the media gap at the agent,
 * and the DTMF tone (Goertzel) the agent got before and after.
 *
 *   npx tsx scripts/rtpengine-failover.ts [--scenario restore|standby|standby-other-address]
 *
 * restore                A writes DB 1; after the kill, B starts with A's options (same address and
 *                        ports) and restores DB 1 at start (`--redis`): a cold standby.
 * restore-rewritten      the same, with the answer sent again after the block (so Redis gets a write
 *                        after it: rtpengine writes on offer/answer, not on `block DTMF`).
 * standby                A writes DB 1, B (running before the call, same address and port range)
 *                        writes DB 2 and subscribes to keyspace 1, `--active-switchover`: a warm standby.
 * standby-other-address  the same with B on 127.0.0.81 (it can bind the call's ports there).
 * Everything is its own: redis-server and rtpengines on free loopback ports, ended by PID. Exit 0.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dtmfSequence } from '../test/support/media/dtmf-tone.js';
import { analyseRtpDtmf } from '../test/support/media/rtp-analysis.js';
import { sendPcmu } from '../test/support/media/rtp-sender.js';
import { RtpSink } from '../test/support/media/rtp-sink.js';
import { freeUdpPort } from '../test/support/ports.js';
import { startTestRedis, type TestRedis } from '../test/support/redis-server.js';
import {
  type RtpengineProcess,
  setUpMaskedCall,
  startRtpengine,
  storedMasking,
} from '../test/support/rtpengine-redis.js';
import { REPO_ROOT } from '../test/support/stack.js';
import { openTestNg } from '../test/support/test-ng.js';

const SCENARIOS = ['restore', 'restore-rewritten', 'standby', 'standby-other-address'] as const;
type Scenario = (typeof SCENARIOS)[number];
const KILL_AT_MS = 3000;
const MASK_BLOCK = { 'DTMF-security': 'silence', 'delay-buffer': 70, flags: ['detect-DTMF'] };
const MASK_ARGS = ['--dtx-delay=10', '--max-dtx=0'];

interface Measured {
  scenario: Scenario;
  redisBefore: ReturnType<typeof storedMasking> | null;
  redisAfterStandby: string;
  keysInDb1AfterStandbyStart: number;
  packetsBefore: number;
  packetsAfter: number;
  gapMs: number | null;
  toneMsBefore: number;
  toneMsAfter: number;
  digitsAfter: string;
  takeoverStartMs: number | null;
  logLines: string[];
}

async function measure(scenario: Scenario, redis: TestRedis, logDir: string): Promise<Measured> {
  const range = await freeUdpPort('127.0.0.1', { span: 40, from: 44_000, to: 48_000 });
  const engine = (name: string, address: string, ngPort: number, redisArgs: string[]) =>
    startRtpengine({
      name: `${scenario}-${name}`,
      logDir,
      address,
      ngPort,
      portMin: range,
      portMax: range + 39,
      redisArgs,
      extraArgs: MASK_ARGS,
    });
  const at = `127.0.0.1:${redis.port}`;
  const ngA = await freeUdpPort('127.0.0.1', { from: 49_000, to: 50_000 });
  const ngB = ngA + 2;
  const cold = scenario.startsWith('restore');
  const aArgs = cold
    ? [`--redis=${at}/1`, `--redis-write=${at}/1`]
    : [`--redis=${at}/1`, `--redis-write=${at}/1`, '--subscribe-keyspace=2'];
  const bArgs = cold
    ? aArgs
    : [`--redis=${at}/2`, `--redis-write=${at}/2`, '--subscribe-keyspace=1', '--active-switchover'];
  const bAddress = scenario === 'standby-other-address' ? '127.0.0.81' : '127.0.0.1';
  const a = await engine('a', '127.0.0.1', ngA, aArgs);
  let b: RtpengineProcess | null = cold ? null : await engine('b', bAddress, ngB, bArgs);
  const sink = await RtpSink.open({ address: '127.0.0.1' });
  const sinkOpenedAt = performance.now();
  const customerPort = await freeUdpPort('127.0.0.1', { from: 50_000, to: 52_000 });
  const callId = `failover-${scenario}-${Date.now()}`;
  const ng = await openTestNg(ngA);
  const call = await setUpMaskedCall(
    ng,
    callId,
    { address: '127.0.0.1', port: customerPort },
    sink.address,
    MASK_BLOCK,
    scenario === 'restore-rewritten',
  );
  await ng.close();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const stored = redis.cli('-n', '1', 'GET', callId).trim();
  const redisBefore = stored ? storedMasking(stored) : null;
  const keysInDb1 = Number(redis.cli('-n', '1', 'DBSIZE').trim());
  const keys = dtmfSequence('1234567890123', { levelDbfs: -20, toneMs: 100, gapMs: 400, leadInMs: 500 });
  const sending = sendPcmu(keys.pcm, { to: call.toEngine, fromAddress: '127.0.0.1', fromPort: customerPort });
  await new Promise((resolve) => setTimeout(resolve, KILL_AT_MS));
  await a.kill('SIGKILL');
  // the kill on the sink's clock (ms since it opened)
  const killInSink = performance.now() - sinkOpenedAt;
  let takeoverStartMs: number | null = null;
  if (cold) {
    b = await engine('b', '127.0.0.1', ngA, bArgs);
    takeoverStartMs = b.startMs;
  }
  await sending;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = sink.records.filter((r) => r.arrivalMs < killInSink);
  const after = sink.records.filter((r) => r.arrivalMs >= killInSink);
  const gapMs =
    after.length > 0 && before.length > 0
      ? (after[0]?.arrivalMs ?? 0) - (before.at(-1)?.arrivalMs ?? 0)
      : null;
  const dtmfBefore = analyseRtpDtmf(before);
  const dtmfAfter = after.length > 0 ? analyseRtpDtmf(after) : { toneMs: 0, digitString: '' };
  const redisAfterStandby = b ? redis.cli('-n', '2', 'KEYS', '*').trim() : '';
  await b?.kill('SIGTERM');
  await sink.close();
  const logLines = [a.logFile, b?.logFile]
    .filter((file): file is string => Boolean(file))
    .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
    .filter((line) => /redis|restor|foreign|sfd|Failed|Error/i.test(line))
    .slice(0, 12);
  return {
    scenario,
    redisBefore,
    redisAfterStandby,
    keysInDb1AfterStandbyStart: keysInDb1,
    packetsBefore: before.length,
    packetsAfter: after.length,
    gapMs,
    toneMsBefore: dtmfBefore.toneMs,
    toneMsAfter: dtmfAfter.toneMs,
    digitsAfter: dtmfAfter.digitString,
    takeoverStartMs,
    logLines,
  };
}

function print(m: Measured): void {
  const tags = m.redisBefore?.tags.map(
    (t) => `${t.tag}: block_dtmf=${t.blockDtmf} block_media=${t.blockMedia}`,
  );
  const named = (m.redisBefore?.fieldNames ?? []).filter((f) => /dtmf|delay|buffer|detect|block/i.test(f));
  console.log(`\n== ${m.scenario}`);
  console.log(
    `Redis DB 1 held the call: ${m.redisBefore ? 'yes' : 'NO'} (keys in DB 1: ${m.keysInDb1AfterStandbyStart})`,
  );
  console.log(`  tags: ${tags?.join('; ') ?? '-'}`);
  console.log(`  masking fields stored: ${named.join(', ') || 'none'}`);
  if (!m.scenario.startsWith('restore'))
    console.log(`  standby's own DB 2 keys: ${m.redisAfterStandby || '(none)'}`);
  console.log(`agent packets before the kill ${m.packetsBefore}, after ${m.packetsAfter}`);
  console.log(
    `media gap at the agent across the kill: ${m.gapMs === null ? 'no media after' : `${m.gapMs.toFixed(0)} ms`}`,
  );
  if (m.takeoverStartMs !== null)
    console.log(`replacement rtpengine bound its NG port ${m.takeoverStartMs.toFixed(0)} ms after spawn`);
  console.log(
    `DTMF tone at the agent: before the kill ${m.toneMsBefore} ms, after ${m.toneMsAfter} ms (digits heard after: '${m.digitsAfter}')`,
  );
  for (const line of m.logLines) console.log(`  log: ${line.slice(0, 200)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { scenario: { type: 'string' } } });
  const chosen = values.scenario ? [values.scenario as Scenario] : [...SCENARIOS];
  if (chosen.some((s) => !SCENARIOS.includes(s))) {
    console.error(`usage: npx tsx scripts/rtpengine-failover.ts [--scenario ${SCENARIOS.join('|')}]`);
    process.exit(2);
  }
  const logDir = join(REPO_ROOT, '.run', 'rtpengine-failover');
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const redis = await startTestRedis();
  try {
    redis.cli('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    for (const scenario of chosen) {
      redis.cli('FLUSHALL');
      print(await measure(scenario, redis, logDir));
    }
  } finally {
    await redis.stop();
  }
  console.log(`\nrtpengine logs in ${logDir}`);
}

await main();
