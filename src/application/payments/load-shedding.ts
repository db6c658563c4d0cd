/**
 * Back-pressure (issue 20): a gateway whose media host is saturated refuses new payments instead of
 * capturing keys it may get wrong. Measured by the bench: with the rtpengines and SIPp taking the two
 * cores, the mask hop's detector split tones and customers' keys arrived doubled or missing. Two limits,
 * each off at 0: payments in progress at once (an operator sets it from the bench's largest held level),
 * and the host's CPUs busy at least `cpuPercent` in every one of the last `windowS` seconds.
 */

/** The host's CPU load, one figure a second: the share of all cores busy, %, newest last. */
export interface HostLoad {
  busyPercents(): readonly number[];
}

export interface LoadSheddingSettings {
  /** Payments in progress at once; 0: no cap. */
  readonly maxInProgress: number;
  /** Refuse while every second of the window had the CPUs at least this busy, %; 0: off. */
  readonly cpuPercent: number;
  readonly windowS: number;
}

/** Why a new payment must wait now, or undefined when it may start. */
export function sheddingReason(
  settings: LoadSheddingSettings,
  inProgress: number,
  load: HostLoad | undefined,
): 'payments-in-progress' | 'cpu-busy' | undefined {
  if (settings.maxInProgress > 0 && inProgress >= settings.maxInProgress) return 'payments-in-progress';
  if (settings.cpuPercent > 0 && load) {
    const recent = load.busyPercents().slice(-settings.windowS);
    if (recent.length >= settings.windowS && recent.every((busy) => busy >= settings.cpuPercent))
      return 'cpu-busy';
  }
  return undefined;
}
