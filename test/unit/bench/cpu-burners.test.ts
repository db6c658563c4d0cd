import { describe, expect, it } from 'vitest';
import { reproduce } from '../../../scripts/bench/bench-data.js';
import { startCpuBurners } from '../../../scripts/bench/cpu-burners.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('bench --burners', () => {
  it('starts busy loops by PID and stops every one of them', async () => {
    const burners = startCpuBurners(2);
    expect(burners.pids).toHaveLength(2);
    for (const pid of burners.pids) expect(alive(pid)).toBe(true);
    await burners.stop();
    for (const pid of burners.pids) expect(alive(pid)).toBe(false);
  });

  it('starts none for 0', async () => {
    const burners = startCpuBurners(0);
    expect(burners.pids).toEqual([]);
    await burners.stop();
  });

  it('names the burners in the command that measures a level again', () => {
    const data = (burners: number | undefined) =>
      ({
        settings: { rate: 40, probes: 27, burners },
        results: [{ masking: 'on', calls: 50 }],
      }) as unknown as Parameters<typeof reproduce>[0];
    expect(reproduce(data(undefined), 'on', 50)).toBe(
      './scripts/tonewall bench --modes on --levels 50 --runs 1 --rate 40 --probes 27',
    );
    expect(reproduce(data(1), 'on', 50)).toBe(
      './scripts/tonewall bench --modes on --levels 50 --runs 1 --rate 40 --probes 27 --burners 1',
    );
  });
});
