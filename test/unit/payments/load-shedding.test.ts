import { describe, expect, it } from 'vitest';
import { HostCpuSampler, parseProcStat } from '../../../src/adapters/metrics/host-cpu-sampler.js';
import { CallRegistry } from '../../../src/application/calls/call-registry.js';
import { sheddingReason } from '../../../src/application/payments/load-shedding.js';
import { admitPayment } from '../../../src/application/payments/payment-admission.js';
import { startLoadShedding } from '../../../src/composition/start-load-shedding.js';
import { answeredEvent } from '../../support/call-fixtures.js';
import { FakeTime } from '../../support/fake-time.js';
import { captureLogs } from '../../support/log-capture.js';

const load = (busy: number[]) => ({ busyPercents: () => busy });
const off = { maxInProgress: 0, cpuPercent: 0, windowS: 5 };

describe('back-pressure: when a new payment must wait', () => {
  it.each([
    ['no limits: never', off, 500, [100, 100, 100, 100, 100], undefined],
    ['under the cap', { ...off, maxInProgress: 3 }, 2, [], undefined],
    ['at the cap', { ...off, maxInProgress: 3 }, 3, [], 'payments-in-progress'],
    [
      'CPU busy every second of the window',
      { ...off, cpuPercent: 90 },
      0,
      [50, 95, 91, 99, 90, 92],
      'cpu-busy',
    ],
    ['one quieter second in the window', { ...off, cpuPercent: 90 }, 0, [95, 91, 89, 99, 92], undefined],
    ['not a whole window measured yet', { ...off, cpuPercent: 90 }, 0, [99, 99, 99, 99], undefined],
    [
      'a second without a figure (NaN) is not busy',
      { ...off, cpuPercent: 90 },
      0,
      [99, 99, Number.NaN, 99, 99],
      undefined,
    ],
  ] as const)('%s', (_name, settings, inProgress, busy, expected) => {
    expect(sheddingReason(settings, inProgress, load([...busy]))).toBe(expected);
  });

  it('the admission refuses GW_ERR_OVERLOADED (503, retryable) after the gateway-wide checks, before the call', () => {
    const call = new CallRegistry().answered(answeredEvent('sip-bp'));
    const check = {
      stopping: false,
      refusal: () => 'GW_ERR_OVERLOADED' as const,
      call,
      request: { idempotencyKey: 'k', tokenType: 'one-time' as const, settings: {} },
      checkCallback: undefined,
      hasActivePayment: () => false,
    };
    expect(() => admitPayment(check)).toThrow(expect.objectContaining({ code: 'GW_ERR_OVERLOADED' }));
  });
});

describe('the host CPU sampler (/proc/stat once a second)', () => {
  const stat = (busy: number, idle: number) => `cpu  ${busy} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 1 2 3 4\n`;

  it('reads the busy and total ticks of all cores; anything else is no figure', () => {
    expect(parseProcStat('cpu  10 1 2 80 3 1 1 2 0 0\n')).toEqual({ busy: 15, total: 100 });
    expect(parseProcStat('intr 1 2 3\n')).toBeUndefined();
    expect(parseProcStat('cpu  10 x 2 80 3 1 1 2\n')).toBeUndefined();
  });

  it('keeps the busy share of each second, the last `keep` of them; a failed read is NaN', () => {
    const time = new FakeTime();
    let text = stat(0, 0);
    const sampler = new HostCpuSampler({ timers: time, keep: 3, read: () => text });
    sampler.start();
    const second = (busy: number, idle: number, next = stat(busy, idle)) => {
      text = next;
      time.advance(1000);
    };
    second(90, 10); // 90 %
    second(140, 60); // +50 busy of +100
    second(240, 60); // 100 %
    expect(sampler.busyPercents()).toEqual([90, 50, 100]);
    second(0, 0, 'garbage');
    expect(sampler.busyPercents().slice(0, 2)).toEqual([50, 100]);
    expect(sampler.busyPercents()[2]).toBeNaN();
    sampler.stop();
    second(500, 60);
    expect(sampler.busyPercents()).toHaveLength(3);
  });

  it('the gateway logs once when it starts refusing and why, and once when it takes payments again', () => {
    const logs = captureLogs('info');
    const shedding = startLoadShedding({ ...off, maxInProgress: 2 }, new FakeTime(), logs.logger);
    expect([1, 2, 2, 2, 1, 0].map((n) => shedding.refuses(n))).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(logs.lines.filter((line) => line.includes('new payments refused: overloaded'))).toHaveLength(1);
    expect(logs.lines.join('\n')).toContain('"reason":"payments-in-progress"');
    expect(logs.lines.filter((line) => line.includes('new payments taken again'))).toHaveLength(1);
    shedding.stop();
  });
});
