/**
 * The host's CPU load for back-pressure (application/payments/load-shedding.ts): /proc/stat read once
 * a second, the share of all cores busy over that second (user, nice, system, irq, softirq; steal and
 * iowait are not this host's work), the last `keep` seconds kept. Linux only; a second whose read failed
 * has no figure (NaN: not busy), never a guess.
 */
import { readFileSync } from 'node:fs';
import type { Timers } from '../../application/clock.js';
import type { HostLoad } from '../../application/payments/load-shedding.js';

interface CpuTicks {
  readonly busy: number;
  readonly total: number;
}

/** The first line of /proc/stat: busy and total ticks of all cores. */
export function parseProcStat(text: string): CpuTicks | undefined {
  const line = text.split('\n', 1)[0] ?? '';
  if (!line.startsWith('cpu ')) return undefined;
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 8 || ticks.some((value) => !Number.isFinite(value))) return undefined;
  // user nice system idle iowait irq softirq steal
  const at = (index: number) => ticks[index] ?? 0;
  const busy = at(0) + at(1) + at(2) + at(5) + at(6);
  return { busy, total: busy + at(3) + at(4) + at(7) };
}

export class HostCpuSampler implements HostLoad {
  readonly #timers: Timers;
  readonly #read: () => string;
  readonly #keep: number;
  readonly #samples: number[] = [];
  #last: CpuTicks | undefined;
  #timer: { cancel(): void } | undefined;
  #stopped = false;

  constructor(options: { timers: Timers; keep: number; read?: () => string }) {
    this.#timers = options.timers;
    this.#keep = options.keep;
    this.#read = options.read ?? (() => readFileSync('/proc/stat', 'utf8'));
  }

  start(): void {
    this.#last = this.#sample();
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
  }

  busyPercents(): readonly number[] {
    return this.#samples;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.#timers.set(1000, () => {
      const now = this.#sample();
      const last = this.#last;
      this.#last = now;
      // no figure (a failed read, no time passed): NaN, which counts as not busy
      this.#samples.push(
        now && last && now.total > last.total
          ? ((now.busy - last.busy) / (now.total - last.total)) * 100
          : Number.NaN,
      );
      if (this.#samples.length > this.#keep) this.#samples.shift();
      this.#schedule();
    });
  }

  #sample(): CpuTicks | undefined {
    try {
      return parseProcStat(this.#read());
    } catch {
      return undefined;
    }
  }
}
