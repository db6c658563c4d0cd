/**
 * Back-pressure wired: the host CPU sampler (only when the CPU limit is on) and the question the
 * payment admission asks before each new payment. The log says when refusing starts, which limit,
 * and when it ends — once each, not per refused request (those are logged as refused requests).
 */
import { HostCpuSampler } from '../adapters/metrics/host-cpu-sampler.js';
import type { Timers } from '../application/clock.js';
import { type LoadSheddingSettings, sheddingReason } from '../application/payments/load-shedding.js';
import type { Logger } from '../logger.js';

export interface LoadShedding {
  /** Whether a new payment must wait, `inProgress` payments being unfinished now. */
  refuses(inProgress: number): boolean;
  stop(): void;
}

export function startLoadShedding(
  settings: LoadSheddingSettings,
  timers: Timers,
  logger: Logger,
): LoadShedding {
  const sampler =
    settings.cpuPercent > 0 ? new HostCpuSampler({ timers, keep: settings.windowS }) : undefined;
  sampler?.start();
  let refusing: string | undefined;
  return {
    refuses(inProgress) {
      const reason = sheddingReason(settings, inProgress, sampler);
      if (reason !== refusing) {
        if (reason) logger.warn({ reason, inProgress, ...settings }, 'new payments refused: overloaded');
        else logger.info({ inProgress }, 'new payments taken again');
        refusing = reason;
      }
      return reason !== undefined;
    },
    stop: () => sampler?.stop(),
  };
}
