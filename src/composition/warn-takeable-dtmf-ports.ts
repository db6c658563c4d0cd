import { readFile } from 'node:fs/promises';
import type { Logger } from '../logger.js';

/**
 * Warns when a DTMF report port is one an unprivileged local process could bind (at or above the
 * kernel's `ip_unprivileged_port_start`, 1024 by default): while the gateway restarts, such a process
 * could take the port and receive customers' digits. The defaults (999, 998) are privileged.
 */
export async function warnTakeableDtmfPorts(ports: readonly number[], logger: Logger): Promise<void> {
  const start = await readFile('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').then(
    (text) => Number.parseInt(text.trim(), 10),
    () => 1024,
  );
  const takeable = ports.filter((port) => port !== 0 && port >= start);
  if (takeable.length > 0) {
    logger.warn(
      { ports: takeable, unprivilegedPortStart: start },
      'DTMF report ports any local user could bind while the gateway is down: use ports below it (TONEWALL_DTMF_LOG_DEST)',
    );
  }
}
