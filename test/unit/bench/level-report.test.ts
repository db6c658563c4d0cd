import { describe, expect, it } from 'vitest';
import {
  type BenchData,
  mergeBenchData,
  readBenchData,
  summarise,
} from '../../../scripts/bench/bench-data.js';
import type { MaskingMode } from '../../../scripts/bench/bench-ports.js';
import { findings, otherBenchLine } from '../../../scripts/bench/findings.js';
import { cpuFigures, summariseLevel } from '../../../scripts/bench/level-summary.js';
import type { CallRecord, LoadResult } from '../../../scripts/bench/load-types.js';
import { benchmarksMarkdown } from '../../../scripts/bench/report.js';

function call(n: number, changes: Partial<CallRecord> = {}): CallRecord {
  return {
    n,
    layout: n % 2 === 0 ? 'even' : 'odd',
    keys: 24,
    keysExpected: 24,
    outcome: 'succeeded',
    agent: { packets: 1000, drops: 0, digitEvents: 0, toneMs: 0 },
    expectedPackets: 1000,
    ...changes,
  };
}

function run(
  masking: MaskingMode,
  calls: number,
  options: { perCall?: CallRecord[]; cpu?: Record<string, number> } = {},
): LoadResult {
  const perCall =
    options.perCall ??
    Array.from({ length: calls }, (_, i) =>
      call(i + 1, i < 2 ? { delayEarlyMs: [50, 52], delayLateMs: [54, 56, 58] } : {}),
    );
  return {
    calls,
    masking,
    startedAt: '2026-12-02T00:00:00Z',
    loadAverage: 1.5,
    setUp: calls,
    paymentsStarted: calls,
    succeeded: perCall.filter((c) => c.outcome === 'succeeded').length,
    keysKeyed: 24,
    perCall,
    unmatchedAgents: 0,
    keyToScreenMs: [1, 2, 3, 4, 100],
    lastKeyToOutcomeMs: [10, 20],
    inexactCalls: 0,
    cpu: options.cpu ?? {
      'rtpengine edge': 10,
      'rtpengine mask': 20,
      kamailio: 0.1,
      gateway: 5,
      sipp: 5,
      bench: 4.9,
      machine: 60,
    },
    cpuWindowS: 10,
    gatewayPeakMib: 150,
    dtmfDrops: 0,
    problems: [],
  };
}

describe('bench level summary', () => {
  it("sums both rtpengines and tells the machine's other work apart", () => {
    expect(
      cpuFigures({
        'rtpengine edge': 10,
        'rtpengine mask': 20,
        kamailio: 0.1,
        gateway: 5,
        sipp: 5,
        bench: 4.9,
        machine: 60,
      }),
    ).toMatchObject({ rtpengine: 30, others: 15 });
  });

  it("a clean masked level holds; its delay is the runs' medians, before and after the keys", () => {
    const level = summariseLevel([run('on', 4), run('on', 4), run('on', 4)]);
    expect(level).toMatchObject({
      held: true,
      why: [],
      placed: 12,
      checked: 12,
      heard: 0,
      keysWrong: 0,
      payable: 12,
      paidPayable: 12,
    });
    expect(level.delayEarlyMs).toMatchObject({ median: 51, min: 51, max: 51, runs: 3 });
    expect(level.delayLateMs).toMatchObject({ median: 56 });
    expect(level.delayMs?.median).toBe(54);
    expect(level.delayMaxMs).toBe(58);
    expect(level.delayBursts).toBe(30);
    expect(level.cpu.rtpengine?.median).toBe(30);
  });

  it('says from the data why a level did not hold: a leak, a key lost, a call unchecked, a payment failed', () => {
    const perCall = [
      call(1, { agent: { packets: 1000, drops: 0, digitEvents: 0, toneMs: 20 } }),
      call(2, { keys: 23, outcome: 'failed caller-hung-up' }),
      call(3, { agent: undefined }),
      call(4),
    ];
    const level = summariseLevel([run('on', 4, { perCall })]);
    expect(level.held).toBe(false);
    expect(level.why).toEqual([
      '1 payment(s) that could succeed did not',
      '1 call(s) leaked a digit to the agent',
      '1 call(s) with keys wrong',
      '1 call(s) whose agent stream was not checked',
    ]);
    expect(level.byLayout.find((row) => row.layout === 'odd')).toMatchObject({
      calls: 2,
      checked: 1,
      heard: 1,
      heardToneMs: 20,
    });
  });

  it('a layout that cannot pay (no key reported) is not a failure of the level', () => {
    const perCall = [call(1, { keys: 0, keysExpected: 0, outcome: 'failed caller-hung-up' }), call(2)];
    const level = summariseLevel([run('on', 2, { perCall })]);
    expect(level).toMatchObject({ held: true, payable: 1, paidPayable: 1, keysWrong: 0 });
  });

  it('masking off: digits at the agent are the control, never a hold', () => {
    const perCall = [call(1, { agent: { packets: 1000, drops: 0, digitEvents: 24, toneMs: 0 } })];
    const level = summariseLevel([run('off', 1, { perCall })]);
    expect(level).toMatchObject({ heard: 1, held: false, why: [] });
  });
});

function data(results: LoadResult[], stepped: number[], baselineLevels: number[]): BenchData {
  return {
    version: 2,
    date: '2026-12-02 03:00 UTC',
    command: './scripts/tonewall bench --levels 4,8',
    machine: {
      cpuModel: 'CPU',
      cpus: 2,
      memoryGib: 8,
      kernel: '6',
      kamailio: '5.6.3',
      rtpengine: '10.5',
      sipp: 'v3.6.1',
      node: 'v20',
    },
    source: { commit: '0123456789abcdef', uncommitted: [] },
    settings: {
      runs: 1,
      rate: 40,
      probes: 26,
      modes: ['on', 'off', 'one-hop'],
      levels: [4, 8],
      stack: { on: { TONEWALL_BLOCK_DTMF_FLAGS: 'DTMF-security=silence delay-buffer=50 detect-DTMF' } },
      mix: ['odd', 'even'],
      keysPerCall: 24,
    },
    results,
    stepped,
    baselineLevels,
    stopReason: 'all levels run (4, 8)',
  };
}

describe('bench report (made from the data)', () => {
  const control = (masking: MaskingMode) =>
    run(masking, 8, {
      perCall: Array.from({ length: 8 }, (_, i) =>
        call(i + 1, {
          agent: { packets: 1000, drops: 0, digitEvents: 24, toneMs: 0 },
          delayEarlyMs: [0.1],
          delayLateMs: [0.1],
        }),
      ),
      cpu:
        masking === 'off'
          ? { 'rtpengine edge': 10, 'rtpengine mask': 10, machine: 40 }
          : { 'rtpengine edge': 7.5, 'rtpengine mask': 0, machine: 30 },
    });
  const bench = data([run('on', 4), run('on', 8), control('off'), control('one-hop')], [4, 8], [8]);

  it('states the result from the figures: largest level held, leaks per calls checked, delay, cost', () => {
    const lines = findings(bench, summarise(bench));
    expect(lines[0]).toContain('**8 concurrent calls with payments**');
    expect(lines).toContain(
      "Leaks, masked: **0 call(s) of 12 checked** (12 placed; every call's whole agent stream, digit events and DTMF tone).",
    );
    expect(lines.find((line) => line.startsWith("Issue 14's bar"))).toContain(
      '**met at every masked level run** (4, 8)',
    );
    const cost = lines.find((line) => line.startsWith('CPU of the rtpengines')) ?? '';
    expect(cost).toContain('masked 30.0 % of a core (edge 10.0, mask 20.0, mute –)');
    expect(cost).toContain('costs 1.50× three-hop pass-through and 4.00× one hop');
  });

  it('a delay over the bar after the payment is not met, and says so', () => {
    const slow = run('on', 4, {
      perCall: Array.from({ length: 4 }, (_, i) => call(i + 1, { delayEarlyMs: [52], delayLateMs: [90] })),
    });
    const lines = findings(data([slow], [4], []), summarise(data([slow], [4], [])));
    expect(lines.find((line) => line.startsWith("Issue 14's bar"))).toContain(
      '**not met** at 4 calls (delay after the payment 90.0 ms)',
    );
  });

  it('prints the command that measures each row again and points at the raw JSON', () => {
    const markdown = benchmarksMarkdown(bench, ['docs/benchmarks/bench-x.json']);
    expect(markdown).toContain('[`docs/benchmarks/bench-x.json`](benchmarks/bench-x.json)');
    for (const [mode, calls] of [
      ['on', 4],
      ['on', 8],
      ['off', 8],
      ['one-hop', 8],
    ] as const)
      expect(markdown).toContain(
        `\`./scripts/tonewall bench --modes ${mode} --levels ${calls} --runs 1 --rate 40 --probes 26\``,
      );
    expect(markdown).toContain('DTMF-security=silence delay-buffer=50 detect-DTMF');
  });

  it('merges benches (a step-up and a later baseline run) and reads those written with one baseline level', () => {
    const stepUp = data([run('on', 4), run('on', 8)], [4, 8], []);
    const later = {
      ...data([control('off')], [], [8]),
      command: './scripts/tonewall bench --modes off --levels 8',
    };
    const merged = mergeBenchData([stepUp, later]);
    expect(merged.results).toHaveLength(3);
    expect(merged.stepped).toEqual([4, 8]);
    expect(merged.baselineLevels).toEqual([8]);
    expect(merged.command).toBe(
      './scripts/tonewall bench --levels 4,8` and `./scripts/tonewall bench --modes off --levels 8',
    );
    expect(summarise(merged).baselines[0]?.map((level) => level.masking)).toEqual(['on', 'off']);
    const { baselineLevels: _dropped, ...legacy } = stepUp;
    expect(readBenchData(JSON.stringify({ ...legacy, baselineLevel: 8 })).baselineLevels).toEqual([8]);
    expect(otherBenchLine(stepUp, 'docs/benchmarks/old.json')).toContain(
      'largest masked level that held 8; 4: 0/4 heard, delay 51.0 → 56.0 ms',
    );
  });
});
