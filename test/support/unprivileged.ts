import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Who a process is, as the kernel checks file access: /proc/PID/status. */
export interface Credentials {
  readonly uid: number;
  readonly gid: number;
  readonly groups: readonly number[];
  /** The effective capability set, hex as /proc prints it (`0000000000000400`: CAP_NET_BIND_SERVICE alone). */
  readonly capEff: string;
}

export function processCredentials(pid: number): Credentials {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => status.match(new RegExp(`^${name}:\\s*(.*)$`, 'm'))?.[1]?.trim() ?? '';
  const effective = (name: string) => Number(field(name).split(/\s+/)[1]);
  return {
    uid: effective('Uid'),
    gid: effective('Gid'),
    groups: field('Groups')
      .split(/\s+/)
      .filter((group) => group.length > 0)
      .map(Number),
    capEff: field('CapEff'),
  };
}

/**
 * `setpriv` arguments (util-linux) that run a command as `uid`/`gid` with these supplementary groups
 * only, no new privileges, and with `caps` (e.g. `net_bind_service`) as the only capabilities it
 * keeps across the change of user (ambient), none otherwise. Needs root.
 */
export function setprivArgs(options: {
  uid: number;
  gid: number;
  groups: readonly number[];
  caps?: readonly string[];
}): string[] {
  const caps = (options.caps ?? []).map((cap) => `,+${cap}`).join('');
  return [
    `--reuid=${options.uid}`,
    `--regid=${options.gid}`,
    options.groups.length === 0 ? '--clear-groups' : `--groups=${options.groups.join(',')}`,
    `--inh-caps=-all${caps}`,
    `--ambient-caps=-all${caps}`,
    `--bounding-set=-all${caps}`,
    '--no-new-privs',
  ];
}

/**
 * Reads `file` in a process with exactly these credentials (user, groups, capabilities): `read`, or
 * the error's code (`EACCES`).
 */
export async function readAs(credentials: Credentials, file: string): Promise<string> {
  const caps = BigInt(`0x${credentials.capEff}`) === 0x400n ? ['net_bind_service'] : [];
  if (caps.length === 0 && BigInt(`0x${credentials.capEff}`) !== 0n)
    throw new Error(`readAs: capabilities ${credentials.capEff} are not reproduced here`);
  const script =
    "require('node:fs').promises.readFile(process.argv[1]).then(() => console.log('read'), (e) => console.log(e.code))";
  const { stdout } = await run('setpriv', [
    ...setprivArgs({ ...credentials, caps }),
    process.execPath,
    '-e',
    script,
    file,
  ]);
  return stdout.trim();
}
