import { describe, expect, it } from 'vitest';
import type { BenchData } from '../../../scripts/bench/bench-data.js';
import type { LoadResult } from '../../../scripts/bench/load-types.js';
import { openCpuWindow, threadCpuTicks } from '../../../scripts/bench/proc.js';
import { threadsSection } from '../../../scripts/bench/report-threads.js';
import { NEEDED_RMEM_MAX, socketBuffersText } from '../../../scripts/bench/socket-buffers.js';

function result(changes: Partial<LoadResult>): LoadResult {
  return {
    calls: 25,
    masking: 'on',
    startedAt: '2026-12-03T00:00:00Z',
    loadAverage: 1,
    setUp: 25,
    paymentsStarted: 25,
    succeeded: 25,
    keysKeyed: 43,
    perCall: [],
    unmatchedAgents: 0,
    keyToScreenMs: [],
    lastKeyToOutcomeMs: [],
    inexactCalls: 0,
    cpu: {},
    cpuWindowS: 10,
    gatewayPeakMib: 150,
    dtmfDrops: 0,
    problems: [],
    ...changes,
  };
}

const data = (results: LoadResult[]) => ({ results }) as unknown as BenchData;

describe('bench: rtpengine threads and the whole run', () => {
  it("reads this process's threads by name from /proc, and a window gives each thread's share", () => {
    const ticks = threadCpuTicks(process.pid);
    expect(ticks.size).toBeGreaterThan(0);
    expect([...ticks.values()].every((t) => Number.isFinite(t) && t >= 0)).toBe(true);
    expect(threadCpuTicks(2 ** 22 + 12345).size).toBe(0); // no such process
    const window = openCpuWindow([{ name: 'self', pids: () => [process.pid], threads: true }]);
    const until = performance.now() + 100;
    while (performance.now() < until) Math.sqrt(Math.random());
    const { threads } = window.close();
    // each thread's share, by name; no bound on the figures: /proc counts in 10 ms ticks (a tenth of this
    // window) and a shared machine gives a busy thread what it gives
    const self = Object.values(threads.self ?? {});
    expect(self.length).toBeGreaterThan(0);
    expect(self.every((share) => Number.isFinite(share) && share >= 0)).toBe(true);
  });

  it('prints each hop thread over 0.5 % and the whole run with peak memory, medians over the runs', () => {
    const runs = [40, 60, 50].map((codec) =>
      result({
        cpuThreads: {
          'rtpengine mask': { 'codec timer': codec, poller: 5, ICE: 0 },
          'rtpengine edge': { poller: 10 },
        },
        cpuWholeRun: { 'rtpengine mask': 30, gateway: 7, machine: 120 },
        cpuWholeRunS: 30,
        peakMib: { gateway: 150, 'rtpengine mask': 41 },
      }),
    );
    const text = threadsSection(data(runs));
    expect(text).toContain('| 25 | masked (3 hops) | mask | codec timer | 50.0 (40.0–60.0) |');
    expect(text).toContain('| 25 | masked (3 hops) | edge | poller | 10.0 |');
    expect(text).not.toContain('| ICE |');
    expect(text).toMatch(
      /\| 25 \| masked \(3 hops\) \| 30\.0 \| – \| 30\.0 \| – \| – \| 7\.0 \| 120\.0 \| – \| 41\.0 \| – \| – \| 150\.0 \|/,
    );
  });

  it('prints nothing for benches that did not record threads', () => {
    expect(threadsSection(data([result({})]))).toBe('');
  });
});

describe('bench: socket buffers', () => {
  it('says what the limits were, who raised them, and when they stayed below the need', () => {
    expect(socketBuffersText(undefined)).toContain('not recorded');
    expect(
      socketBuffersText({
        rmemMax: NEEDED_RMEM_MAX,
        rmemDefault: 212992,
        wmemMax: 212992,
        rmemMaxBefore: 212992,
      }),
    ).toContain(`net.core.rmem_max ${NEEDED_RMEM_MAX} (the bench raised it from 212992)`);
    expect(
      socketBuffersText({
        rmemMax: 212992,
        rmemDefault: 212992,
        wmemMax: 212992,
        shortBy: NEEDED_RMEM_MAX - 212992,
      }),
    ).toContain('below the 4194304 the gateway');
  });
});
