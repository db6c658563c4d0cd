/** Where masking-check's calls go: its own stack's ports, or the running stack's as its settings say. */

export const OWN_PORTS = {
  sip: 6160,
  evapi: 6548,
  rpc: 6171,
  ng: 6323,
  maskNg: 6325,
  muteNg: 6327,
  rtpMin: 38000,
  rtpMax: 38999,
  dtmf: 6399,
  agent: { address: '127.0.0.9', port: 6180 },
  carrier: '127.0.0.10:6180',
} as const;

export class UsageError extends Error {}

/** `--env TONEWALL_NAME=VALUE …` as settings; anything else is a usage error. */
export function envPairs(pairs: readonly string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0 || !pair.startsWith('TONEWALL_'))
      throw new UsageError(`--env wants TONEWALL_NAME=VALUE, got ${pair}`);
    settings[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return settings;
}

/** Where a stack's calls go: Kamailio, the agent target, the RTP port range. */
export interface Target {
  proxy: string;
  agent: { address: string; port: number };
  rtpRange: [number, number];
  /** The mute hop: masking-check mutes it for its capture rows, as the gateway does for a payment. */
  muteNgPort: number;
}

export function runningStackTarget(env: NodeJS.ProcessEnv): Target {
  const pbx = /^sip:([^:;]+):(\d+)/.exec(env.TONEWALL_PBX_TARGET ?? 'sip:127.0.0.2:5080');
  if (!pbx) throw new UsageError('TONEWALL_PBX_TARGET must be sip:ADDRESS:PORT for masking-check');
  return {
    proxy: `${env.TONEWALL_SIP_ADDR ?? '127.0.0.1'}:${env.TONEWALL_SIP_PORT ?? '5060'}`,
    agent: { address: pbx[1] as string, port: Number(pbx[2]) },
    rtpRange: [Number(env.TONEWALL_RTP_PORT_MIN ?? 30000), Number(env.TONEWALL_RTP_PORT_MAX ?? 30999)],
    muteNgPort: Number(env.TONEWALL_MUTE_NG_PORT ?? 2227),
  };
}
