/**
 * Where the bench's own stack listens: loopback ports apart from the defaults (the test suite and
 * `up` use those at the same time), and the TONEWALL_* settings that put the stack and the gateway
 * there. Customers call from 127.0.0.1, agents answer at 127.0.0.4.
 */
export const BENCH_RUN_NAME = 'bench';

export const BENCH_PORTS = {
  sip: { address: '127.0.0.1', port: 7060 },
  evapi: 7448,
  rpc: 7071,
  ng: 7223,
  cli: 7224,
  /**
   * 8000 ports, below Linux's ephemeral range (32768–60999): a call takes 4 and rtpengine holds a
   * deleted call's ports 30 s more, so 250 calls right after 250 others ran out of 2000 (503 Media
   * Relay Unavailable).
   */
  rtpMin: 20000,
  rtpMax: 27999,
  dtmf: { address: '127.0.0.1', port: 7999 },
  http: 7080,
  sandbox: 7443,
  /** The PBX: the agents' SIPp. */
  agent: { address: '127.0.0.4', sipPort: 7080, mediaPort: 7090 },
  /** The carrier side: the customers' SIPp. */
  customer: { address: '127.0.0.1', sipPort: 7062, mediaPort: 7100 },
} as const;

/** Masking as configured (the default) or off, for the cost comparison. */
export type MaskingMode = 'on' | 'off';

/**
 * `block DTMF` flags for masking off: plain block without a delay buffer or the detector, which
 * leaves the call on rtpengine's pass-through path; the bench then sends `unblock DTMF` per call,
 * so the agent gets the customer's media untouched (the leak check shows the digits arriving).
 */
export const UNMASKED_BLOCK_FLAGS = 'delay-buffer=0';

/** TONEWALL_* settings for scripts/lib/stack.sh (Kamailio + rtpengine). */
export function stackEnv(masking: MaskingMode): Record<string, string> {
  const p = BENCH_PORTS;
  return {
    TONEWALL_SIP_ADDR: p.sip.address,
    TONEWALL_SIP_PORT: String(p.sip.port),
    TONEWALL_EVAPI_PORT: String(p.evapi),
    TONEWALL_RPC_PORT: String(p.rpc),
    TONEWALL_NG_PORT: String(p.ng),
    TONEWALL_CLI_PORT: String(p.cli),
    TONEWALL_RTP_PORT_MIN: String(p.rtpMin),
    TONEWALL_RTP_PORT_MAX: String(p.rtpMax),
    TONEWALL_DTMF_LOG_DEST: `${p.dtmf.address}:${p.dtmf.port}`,
    TONEWALL_PBX_SOURCE: p.agent.address,
    TONEWALL_PBX_TARGET: `sip:${p.agent.address}:${p.agent.sipPort}`,
    TONEWALL_CARRIER_TARGET: `sip:127.0.0.3:${p.agent.sipPort}`,
    ...(masking === 'off' ? { TONEWALL_BLOCK_DTMF_FLAGS: UNMASKED_BLOCK_FLAGS } : {}),
  };
}

/** TONEWALL_* settings for the gateway (the stack's, plus HTTP, the sandbox, the key set). */
export function gatewayEnv(options: {
  root: string;
  keysDir: string;
  apiKey: string;
}): Record<string, string> {
  const p = BENCH_PORTS;
  return {
    ...stackEnv('on'),
    TONEWALL_ROOT: options.root,
    TONEWALL_RUN_NAME: BENCH_RUN_NAME,
    TONEWALL_KEYS_DIR: options.keysDir,
    TONEWALL_API_KEY: options.apiKey,
    // debug: the DTMF listener's "DTMF report accepted" lines carry the arrival times (no key)
    TONEWALL_LOG_LEVEL: 'debug',
    TONEWALL_HTTP_PORT: String(p.http),
    TONEWALL_PROCESSOR_URL: `https://127.0.0.1:${p.sandbox}/v1/tokens`,
  };
}
