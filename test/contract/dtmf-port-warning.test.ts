import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { warnTakeableDtmfPorts } from '../../src/composition/warn-takeable-dtmf-ports.js';
import { captureLogs } from '../support/log-capture.js';

describe('a DTMF report port any local user could take is named at start', () => {
  it('warns for 9999 and 9998, not for the privileged defaults 999 and 998', async () => {
    // this machine's kernel: ports below this need privilege
    expect(Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'))).toBe(1024);
    const unprivileged = captureLogs('info');
    await warnTakeableDtmfPorts([9999, 9998], unprivileged.logger);
    expect(unprivileged.lines).toHaveLength(1);
    expect(JSON.parse(unprivileged.lines[0] as string)).toMatchObject({ level: 40, ports: [9999, 9998] });
    const privileged = captureLogs('info');
    await warnTakeableDtmfPorts([999, 998], privileged.logger);
    expect(privileged.lines).toEqual([]);
  });
});
