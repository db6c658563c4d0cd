// `./scripts/tonewall bench`: capacity, masking and latency of the whole call path (issues 7 and 14).
// Starts its own stack in .run/bench (Kamailio, the three rtpengines, sandbox, gateway), steps the number
// of concurrent masked calls with payments up, runs the largest load that held again with masking off
// on the three hops and on one hop, checks every call's agent stream for digits, measures the added delay
// on the wire, prints a table, writes the raw figures (docs/benchmarks/<date>.json) and, generated
// from them, docs/benchmarks.md.
//
//   ./scripts/tonewall bench [--levels 25,50,100,150,200,250,300] [--runs 3] [--quick] [--rate 40]
//                            [--modes on,off,one-hop] [--baseline-level held|N[,…]] [--probes N (one per layout)]
//                            [--out FILE.md] [--json FILE.json]
//                            [--burners N] (N busy loops beside every run: the host's CPUs contended)
//                            [--no-prompts] (the gateway plays no prompt to the customers)
//                            [--profile]   (the gateway runs with node --cpu-prof into .run/bench/profiles)
//                            [--report-from docs/benchmarks/a.json[,b.json…]]   (the markdown again from
//                                          one or more benches' raw figures, their runs together; no measuring)
//
// --modes: `on` steps up through --levels (stops once a level loses over 5 % of its calls or payments,
// or the processes measured take over 90 % of the cores); `off`
// (pass-through on the three hops) and `one-hop` (pass-through, one rtpengine) run at each --baseline-level:
// a number, or `held` (the default) for the largest masked level that held, else the largest run.

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NgClient } from '../src/adapters/rtpengine/ng-client.js';
import { systemClock } from '../src/application/clock.js';
import { createLogger } from '../src/logger.js';
import { REPO_ROOT } from '../test/support/stack.js';
import { type BenchData, mergeBenchData, readBenchData } from './bench/bench-data.js';
import { takeBenchLock } from './bench/bench-lock.js';
import { benchOptions, positiveInt } from './bench/bench-options.js';
import { BENCH_PORTS, type MaskingMode } from './bench/bench-ports.js';
import { BENCH_RUN_DIR, BenchServices } from './bench/bench-services.js';
import { type CpuBurners, startCpuBurners } from './bench/cpu-burners.js';
import { CUSTOMER_MIX } from './bench/customer-mix.js';
import { CPU_GROUPS, cpuFigures, type LevelSummary, summariseLevel } from './bench/level-summary.js';
import { runLoad } from './bench/load-run.js';
import type { LoadResult } from './bench/load-types.js';
import { machineInfo } from './bench/machine.js';
import { cardKeys } from './bench/pcaps.js';
import { peakRssMib } from './bench/proc.js';
import { publish } from './bench/publish.js';
import { ensureSocketBuffers } from './bench/socket-buffers.js';
import { resolvedStackSettings, sourceState } from './bench/stack-settings.js';

const { values, quick, levels, runs, rate, probes, modes, burners, prompts } = benchOptions();
const stamp = new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-');
const out =
  values.out ??
  (quick ? join(BENCH_RUN_DIR, 'benchmarks-quick.md') : join(REPO_ROOT, 'docs', 'benchmarks.md'));
const jsonOut =
  values.json ??
  (quick
    ? join(BENCH_RUN_DIR, `benchmarks-quick-${stamp}.json`)
    : join(REPO_ROOT, 'docs', 'benchmarks', `bench-${stamp}.json`));
const log = (line: string) => console.log(line);

let releaseLock = () => {};
if (!values['report-from']) {
  try {
    releaseLock = takeBenchLock(BENCH_RUN_DIR);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    process.exit(1);
  }
  process.on('exit', () => releaseLock());
}

const services = new BenchServices(`bench-${randomBytes(12).toString('hex')}`, { prompts });
let stopping = false;
let running: CpuBurners | undefined;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await running?.stop();
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

const openNg = (port: number) =>
  NgClient.open({
    host: '127.0.0.1',
    port,
    timeoutMs: 1000,
    retries: 2,
    clock: systemClock,
    logger: createLogger({ level: 'warn' }),
  });

const results: LoadResult[] = [];

async function oneRun(calls: number, masking: MaskingMode, run: number): Promise<LoadResult> {
  await services.stack(masking);
  await services.sandbox();
  const name = `${calls}-${masking}-${run}`;
  const profileArgs = [
    '--cpu-prof',
    `--cpu-prof-dir=${join(BENCH_RUN_DIR, 'profiles')}`,
    `--cpu-prof-name=gateway-${name}.cpuprofile`,
  ];
  const gateway = await services.freshGateway(name, masking, values.profile ? profileArgs : []);
  const gatewayPid = gateway.pid;
  const gatewayStartPeakMib = peakRssMib(gatewayPid);
  const ng = { edge: await openNg(BENCH_PORTS.ng), mask: await openNg(BENCH_PORTS.maskNg) };
  running = startCpuBurners(burners);
  try {
    log(
      `bench: ${calls} calls, masking ${masking}, run ${run}/${runs}${burners ? `, ${burners} CPU burners beside it` : ''}`,
    );
    const measured = await runLoad({
      calls,
      masking,
      rate,
      probes,
      workDir: join(BENCH_RUN_DIR, 'loads', name),
      apiKey: services.apiKey,
      gatewayUrl: services.gatewayUrl,
      gatewayPid,
      gatewayLog: gateway.logFile,
      stackPids: services.stackPids(),
      ng,
      log,
    });
    const result: LoadResult = { ...measured, gatewayStartPeakMib };
    results.push(result);
    const level = summariseLevel([result]);
    const cpu = cpuFigures(result.cpu);
    const figure = (name: keyof typeof cpu) => `${(cpu[name] ?? 0).toFixed(1)}%`;
    log(
      `  up ${result.setUp}/${calls}, paid ${result.succeeded}, agent heard digits ${level.heard}/${level.checked} checked` +
        ` (${level.quietCalls} quiet, ${level.agentDrops} dropped), keys wrong ${level.keysWrong}, delay ${level.delayMs?.median.toFixed(1) ?? '–'} ms` +
        ` (${level.delayBursts} bursts, max ${level.delayMaxMs?.toFixed(1) ?? '–'}), CPU rtpengine ${figure('rtpengine edge')} + ${figure('rtpengine mask')},` +
        ` ${CPU_GROUPS.slice(2)
          .map((group) => `${group} ${figure(group)}`)
          .join(', ')}, others ${figure('others')} (load ${result.loadAverage}),` +
        ` gateway ${result.gatewayPeakMib?.toFixed(0)} MiB, DTMF reports dropped ${result.dtmfDrops}`,
    );
    for (const problem of result.problems.slice(0, 5)) log(`  ! ${problem}`);
    return result;
  } finally {
    await running.stop();
    running = undefined;
    await ng.edge.close();
    await ng.mask.close();
  }
}

/** A run; once more after 15 s when it could not run at all (a gateway that did not start, the shared
 * checkout's node_modules being reinstalled underneath it). */
async function runOnce(calls: number, masking: MaskingMode, run: number): Promise<LoadResult> {
  try {
    return await oneRun(calls, masking, run);
  } catch (error) {
    log(
      `bench: ${calls} calls, masking ${masking}, run ${run} could not run (${(error as Error).message}); again in 15 s`,
    );
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    return oneRun(calls, masking, run);
  }
}

async function level(calls: number, masking: MaskingMode): Promise<LevelSummary> {
  const measured: LoadResult[] = [];
  for (let run = 1; run <= runs; run += 1) {
    measured.push(await runOnce(calls, masking, run));
    saveProgress();
  }
  return summariseLevel(measured);
}

/** What the bench has measured so far, written after every run (a bench that breaks keeps its figures). */
let progress: (() => BenchData) | undefined;
function saveProgress(): void {
  if (!progress) return;
  mkdirSync(dirname(jsonOut), { recursive: true });
  writeFileSync(jsonOut, `${JSON.stringify(progress())}\n`);
}

/** Prints the table and the findings, writes the markdown made from `data` (read from `jsonPaths`). */
async function main(): Promise<void> {
  const from = values['report-from'];
  if (from) {
    // the markdown again from finished benches' figures (several: their runs together), without measuring
    const paths = from.split(',').map((path) => path.trim());
    publish(out, mergeBenchData(paths.map((path) => readBenchData(readFileSync(path, 'utf8')))), paths);
    return;
  }
  const machine = { ...machineInfo(), socketBuffers: ensureSocketBuffers(log) };
  const source = sourceState();
  const stepped: number[] = [];
  let largestHeld: number | undefined;
  let stopReason = modes.includes('on') ? `all levels run (${levels.join(', ')})` : 'masked levels not run';
  const baselineLevels: number[] = [];
  const passThroughModes = modes.filter((mode) => mode !== 'on');
  const stack = Object.fromEntries(modes.map((mode) => [mode, resolvedStackSettings(mode)]));
  const dataNow = (): BenchData => ({
    version: 2,
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    command: `./scripts/tonewall bench ${process.argv.slice(2).join(' ')}`.trim(),
    machine,
    source,
    settings: {
      prompts,
      burners,
      runs,
      rate,
      probes,
      modes,
      levels,
      stack,
      mix: CUSTOMER_MIX.map((layout) => layout.name),
      keysPerCall: cardKeys().length,
    },
    results,
    stepped,
    baselineLevels: passThroughModes.length > 0 ? baselineLevels : [],
    stopReason,
  });
  progress = dataNow;
  let failure: Error | undefined;
  try {
    if (modes.includes('on')) {
      for (const calls of levels) {
        stepped.push(calls);
        const summary = await level(calls, 'on');
        if (summary.held) largestHeld = calls;
        const busy = CPU_GROUPS.reduce((total, name) => total + (summary.cpu[name]?.median ?? 0), 0);
        // a level that did not hold for a reason of one layout (a key it cannot report) says nothing of
        // capacity: step on unless the load itself broke (calls lost or payments failing)
        const lost = summary.notSetUp;
        const unpaid = summary.payable - summary.paidPayable;
        if (lost > 0.05 * summary.placed || unpaid > 0.05 * summary.payable || summary.runsApart > 0) {
          stopReason = `stopped after ${calls} calls: ${
            summary.runsApart > 0
              ? `in ${summary.runsApart} run(s) the calls were never all up at once`
              : lost > 0.05 * summary.placed
                ? `${lost} calls not set up`
                : `${unpaid} of ${summary.payable} payable payments failed`
          }`;
          break;
        }
        if (busy > machine.cpus * 100 * 0.9) {
          stopReason = `stopped at ${calls} calls: the processes measured took ${busy.toFixed(0)} % of ${machine.cpus * 100} %`;
          break;
        }
      }
    }
    // the baselines' levels: numbers, and `held` for the largest masked level that held (else the largest run)
    const heldOrLast = largestHeld ?? (modes.includes('on') ? stepped.at(-1) : levels.at(-1));
    for (const level of (values['baseline-level'] ?? 'held').split(',').map((text) => text.trim())) {
      const calls = level === 'held' ? heldOrLast : positiveInt('baseline-level', level, 400);
      if (calls !== undefined && !baselineLevels.includes(calls)) baselineLevels.push(calls);
    }
    for (const calls of passThroughModes.length > 0 ? baselineLevels : []) {
      for (const mode of passThroughModes) await level(calls, mode);
      // masked at the baseline level too, when it was not one of the steps (for the comparison)
      if (modes.includes('on') && !stepped.includes(calls)) await level(calls, 'on');
    }
  } catch (error) {
    failure = error as Error;
    stopReason = `interrupted: ${failure.message.split('\n')[0]}`;
    console.error(`bench: ${failure.stack ?? failure}`);
  }
  const data = dataNow();
  mkdirSync(dirname(jsonOut), { recursive: true });
  writeFileSync(jsonOut, `${JSON.stringify(data)}\n`);
  console.log(`bench: raw figures in ${jsonOut} (--report-from rewrites the markdown from them)`);
  publish(out, data, [jsonOut]);
  if (failure) throw failure;
}

main()
  .then(() => stop(0))
  .catch((error: unknown) => {
    console.error(`bench: ${(error as Error).stack ?? error}`);
    return stop(1);
  });
