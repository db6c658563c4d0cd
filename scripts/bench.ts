// `./scripts/tonewall bench`: capacity and latency of the whole call path (issue 7). Starts its own
// stack in .run/bench, steps the number of concurrent calls with payments up, runs the largest load
// that held again with masking off, prints a table and writes docs/benchmarks.md.
//
//   ./scripts/tonewall bench [--levels 25,50,100,150,200,250,300] [--runs 3] [--quick] [--rate 40]
//                            [--sample 10] [--unmasked-level N] [--no-unmasked] [--out FILE]
//                            [--profile]   (the gateway runs with node --cpu-prof into .run/bench/profiles)
//                            [--report-from .run/bench/results-….json]   (rewrite the markdown only)
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NgClient } from '../src/adapters/rtpengine/ng-client.js';
import { createLogger } from '../src/logger.js';
import { REPO_ROOT } from '../test/support/stack.js';
import { takeBenchLock } from './bench/bench-lock.js';
import { BENCH_PORTS, type MaskingMode } from './bench/bench-ports.js';
import { BENCH_RUN_DIR, BenchServices } from './bench/bench-services.js';
import { CPU_GROUPS, type LevelSummary, summariseLevel } from './bench/level-summary.js';
import { type LoadResult, runLoad } from './bench/load-run.js';
import { machineInfo } from './bench/machine.js';
import { peakRssMib } from './bench/proc.js';
import { type BenchReport, benchmarksMarkdown, headline, textTable } from './bench/report.js';

const { values } = parseArgs({
  options: {
    levels: { type: 'string', default: '25,50,100,150,200,250,300' },
    runs: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    rate: { type: 'string', default: '40' },
    sample: { type: 'string', default: '10' },
    'unmasked-level': { type: 'string' },
    'no-unmasked': { type: 'boolean', default: false },
    out: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'report-from': { type: 'string' },
  },
});

function positiveInt(name: string, text: string, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    console.error(`bench: --${name} must be a whole number within 1–${max}`);
    process.exit(2);
  }
  return value;
}

const quick = values.quick;
const levels = (quick ? '10' : values.levels).split(',').map((level) => positiveInt('levels', level, 400));
const runs = quick ? 1 : positiveInt('runs', values.runs, 10);
const rate = positiveInt('rate', values.rate, 200);
const sample = quick ? 3 : positiveInt('sample', values.sample, 50);
const out =
  values.out ??
  (quick ? join(BENCH_RUN_DIR, 'benchmarks-quick.md') : join(REPO_ROOT, 'docs', 'benchmarks.md'));
const log = (line: string) => console.log(line);

let releaseLock = () => {};
if (!values['report-from']) {
  try {
    releaseLock = takeBenchLock(BENCH_RUN_DIR);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    process.exit(3);
  }
  process.on('exit', () => releaseLock());
}

const services = new BenchServices(`bench-${randomBytes(12).toString('hex')}`);
let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await services.stopAll().catch((error: Error) => console.error(`bench: stopping: ${error.message}`));
  }
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`bench: ${signal}, stopping what it started`);
    void stop(130);
  });
}

async function oneRun(calls: number, masking: MaskingMode, run: number): Promise<LoadResult> {
  await services.stack(masking);
  await services.sandbox();
  const name = `${calls}-${masking}-${run}`;
  const profileArgs = [
    '--cpu-prof',
    `--cpu-prof-dir=${join(BENCH_RUN_DIR, 'profiles')}`,
    `--cpu-prof-name=gateway-${name}.cpuprofile`,
  ];
  const gateway = await services.freshGateway(name, values.profile ? profileArgs : []);
  const gatewayPid = gateway.pid;
  const gatewayStartPeakMib = peakRssMib(gatewayPid);
  let ng: NgClient | undefined;
  if (masking === 'off') {
    ng = await NgClient.open({
      host: '127.0.0.1',
      port: BENCH_PORTS.ng,
      timeoutMs: 1000,
      retries: 2,
      logger: createLogger({ level: 'warn' }),
    });
  }
  try {
    log(`bench: ${calls} calls, masking ${masking}, run ${run}/${runs}`);
    const measured = await runLoad({
      calls,
      masking,
      rate,
      sample,
      workDir: join(BENCH_RUN_DIR, 'loads', `${calls}-${masking}-${run}`),
      apiKey: services.apiKey,
      gatewayUrl: services.gatewayUrl,
      gatewayPid,
      gatewayLog: gateway.logFile,
      stackPids: services.stackPids(),
      ...(ng ? { ng } : {}),
      log,
    });
    const result: LoadResult = { ...measured, gatewayStartPeakMib };
    const cpu = CPU_GROUPS.map((name) => `${name} ${(result.cpu[name] ?? 0).toFixed(1)}%`).join(', ');
    log(
      `  up ${result.setUp}/${calls}, paid ${result.succeeded}, leaks ${result.leakyCalls}/${result.sampled}, ` +
        `inexact ${result.inexactCalls}, CPU ${cpu}, gateway ${result.gatewayPeakMib?.toFixed(0)} MiB (${gatewayStartPeakMib?.toFixed(0)} at start), ` +
        `DTMF reports dropped ${result.dtmfDrops}, keys per call ${JSON.stringify(result.keysPerCall)}`,
    );
    for (const problem of result.problems.slice(0, 5)) log(`  ! ${problem}`);
    return result;
  } finally {
    await ng?.close();
  }
}

async function level(calls: number, masking: MaskingMode): Promise<LevelSummary> {
  const results: LoadResult[] = [];
  for (let run = 1; run <= runs; run += 1) results.push(await oneRun(calls, masking, run));
  return summariseLevel(results);
}

/** Prints the table and writes the markdown; keeps the figures as JSON (times and counts, no key). */
function publish(report: BenchReport): void {
  const all = report.unmasked ? [...report.levels, report.unmasked] : report.levels;
  console.log();
  console.log(textTable(all));
  console.log();
  console.log(`bench: ${headline(report)}`);
  writeFileSync(out, benchmarksMarkdown(report));
  console.log(`bench: wrote ${out}`);
}

async function main(): Promise<void> {
  if (values['report-from']) {
    // the markdown again from a finished bench's figures, without measuring
    publish(JSON.parse(readFileSync(values['report-from'], 'utf8')) as BenchReport);
    return;
  }
  const machine = machineInfo();
  const summaries: LevelSummary[] = [];
  let stopReason = `all levels run (${levels.join(', ')})`;
  for (const calls of levels) {
    const summary = await level(calls, 'on');
    summaries.push(summary);
    const busy = CPU_GROUPS.reduce((total, name) => total + (summary.cpu[name]?.median ?? 0), 0);
    if (!summary.held) {
      stopReason = `stopped after ${calls} calls did not hold`;
      break;
    }
    if (busy > machine.cpus * 100 * 0.9) {
      stopReason = `stopped at ${calls} calls: the machine saturated (${busy.toFixed(0)} % of ${machine.cpus * 100} %)`;
      break;
    }
  }
  const largestHeld = summaries.filter((summary) => summary.held).at(-1)?.calls;
  let unmasked: LevelSummary | undefined;
  if (!values['no-unmasked']) {
    const n = values['unmasked-level']
      ? positiveInt('unmasked-level', values['unmasked-level'], 400)
      : (largestHeld ?? summaries.at(-1)?.calls ?? levels[0] ?? 10);
    unmasked = await level(n, 'off');
  }
  const masked = summaries.find((summary) => summary.calls === unmasked?.calls);
  const on = masked?.cpu.rtpengine?.median;
  const off = unmasked?.cpu.rtpengine?.median;
  const report: BenchReport = {
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    command: `./scripts/tonewall bench ${process.argv.slice(2).join(' ')}`.trim(),
    machine,
    runs,
    rate,
    sample,
    levels: summaries,
    unmasked,
    largestHeld,
    maskingCpuRatio: on !== undefined && off !== undefined && off > 0 ? on / off : undefined,
    stopReason,
  };
  const figures = join(BENCH_RUN_DIR, `results-${Date.now()}.json`);
  writeFileSync(figures, JSON.stringify(report, null, 1));
  console.log(`bench: figures kept in ${figures} (--report-from rewrites the markdown from them)`);
  publish(report);
}

main()
  .then(() => stop(0))
  .catch((error: unknown) => {
    console.error(`bench: ${(error as Error).stack ?? error}`);
    return stop(1);
  });
