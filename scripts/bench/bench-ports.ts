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
  /** The edge rtpengine (faces the customers; lowest third of the RTP range). */
  ng: 7223,
  /** The mask rtpengine (in-band tones; middle third of the RTP range). */
  maskNg: 7225,
  /**
   * Where the gateway looks for the mute hop in the pass-through modes: nothing listens there, so its
   * capture mute (a `block media` on the mute hop while a payment captures) fails, is logged, and
   * leaves the call's audio flowing (the positive control of the leak check).
   */
  noMuteNg: 7227,
  /** The mute rtpengine (faces the agents; top third of the RTP range). */
  muteNg: 7229,
  /**
   * 12000 ports, below Linux's ephemeral range (32768–60999), 4000 to each rtpengine: a call takes 4 on
   * each and rtpengine holds a deleted call's ports 30 s more (250 calls right after 250 others ran out
   * of 2000: 503 Media Relay Unavailable).
   */
  rtpMin: 20000,
  rtpMax: 31999,
  /** DTMF reports to the gateway: the edge's (events) and, where the stack sends them apart, the mask hop's (tones). */
  dtmf: { address: '127.0.0.1', port: 7999 },
  maskDtmf: 7998,
  http: 7080,
  sandbox: 7443,
  /** The PBX: the agents' SIPp. */
  agent: { address: '127.0.0.4', sipPort: 7080, mediaPort: 7090 },
  /** The carrier side: the customers' SIPp. */
  customer: { address: '127.0.0.1', sipPort: 7062, mediaPort: 7100 },
} as const;

/**
 * - `on`: masking as configured (the defaults of scripts/lib/stack.sh): the edge takes the customer's
 *   RFC 4733 events out and re-encodes its audio, the mask hop silences in-band tones behind its delay
 *   buffer;
 * - `off`: the same three rtpengines in a chain, none blocking or transcoding: pass-through on every hop;
 * - `one-hop`: Kamailio anchors the call in the edge rtpengine only, pass-through (the stack before
 *   masking), for the cost of the design against one relay (one-hop.ts).
 */
export type MaskingMode = 'on' | 'off' | 'one-hop';

export const MASKING_MODES: readonly MaskingMode[] = ['on', 'off', 'one-hop'];

/**
 * `block DTMF` flags on the edge and the mask hop for the pass-through modes: a block without a delay buffer or the
 * detector, which leaves the call on rtpengine's pass-through path; the bench then sends `unblock DTMF`
 * (`delay-buffer: 0`) to every hop the call crosses as the call appears, so the agent gets the
 * customer's media untouched (the leak check shows every call's digits arriving: the positive control).
 */
export const UNMASKED_BLOCK_FLAGS = 'delay-buffer=0';

/** TONEWALL_* settings for scripts/lib/stack.sh (Kamailio + the three rtpengines). */
export function stackEnv(masking: MaskingMode): Record<string, string> {
  const p = BENCH_PORTS;
  return {
    TONEWALL_SIP_ADDR: p.sip.address,
    TONEWALL_SIP_PORT: String(p.sip.port),
    // Kamailio's TLS listener too: the default (5061) is the suite's and `up`'s
    TONEWALL_SIP_TLS_PORT: String(p.sip.port + 1),
    TONEWALL_EVAPI_PORT: String(p.evapi),
    TONEWALL_RPC_PORT: String(p.rpc),
    TONEWALL_NG_PORT: String(p.ng),
    TONEWALL_MASK_NG_PORT: String(p.maskNg),
    TONEWALL_MUTE_NG_PORT: String(p.muteNg),
    TONEWALL_RTP_PORT_MIN: String(p.rtpMin),
    TONEWALL_RTP_PORT_MAX: String(p.rtpMax),
    TONEWALL_DTMF_LOG_DEST: `${p.dtmf.address}:${p.dtmf.port}`,
    TONEWALL_MASK_DTMF_LOG_DEST: `${p.dtmf.address}:${p.maskDtmf}`,
    TONEWALL_PBX_SOURCE: p.agent.address,
    TONEWALL_PBX_TARGET: `sip:${p.agent.address}:${p.agent.sipPort}`,
    TONEWALL_CARRIER_TARGET: `sip:127.0.0.3:${p.agent.sipPort}`,
    // hundreds of customers from one address: above the default flood limit by design
    TONEWALL_SIP_FLOOD_LIMIT: '20000',
    ...(masking === 'on'
      ? {}
      : {
          TONEWALL_EDGE_BLOCK_DTMF_FLAGS: UNMASKED_BLOCK_FLAGS,
          TONEWALL_BLOCK_DTMF_FLAGS: UNMASKED_BLOCK_FLAGS,
          // no transcoding on the edge either: pass-through is the baseline masking is compared with
          TONEWALL_EDGE_TRANSCODE_FLAGS: '',
        }),
  };
}

/** TONEWALL_* settings for the gateway (the stack's, plus HTTP, the sandbox, the key set). */
export function gatewayEnv(options: {
  root: string;
  keysDir: string;
  apiKey: string;
  masking: MaskingMode;
  /** The customer prompts (made by the bench: bench-services.ts), played as `up` plays them. */
  promptsDir?: string;
}): Record<string, string> {
  const p = BENCH_PORTS;
  return {
    // all of the stack's: the gateway talks NG to every hop (prompts to the edge, the probe to the edge
    // and the mask hop, the capture mute to the mute hop) and reads both reporting hops' DTMF reports
    ...stackEnv('on'),
    // masking off: the gateway's capture mute would stop the audio; it goes nowhere
    ...(options.masking === 'on' ? {} : { TONEWALL_MUTE_NG_PORT: String(p.noMuteNg) }),
    TONEWALL_ROOT: options.root,
    TONEWALL_RUN_NAME: BENCH_RUN_NAME,
    TONEWALL_KEYS_DIR: options.keysDir,
    TONEWALL_API_KEY: options.apiKey,
    // debug: the DTMF listener's "DTMF report accepted" lines carry the arrival times (no key)
    TONEWALL_LOG_LEVEL: 'debug',
    TONEWALL_HTTP_PORT: String(p.http),
    TONEWALL_PROCESSOR_URL: `https://127.0.0.1:${p.sandbox}/v1/tokens`,
    ...(options.promptsDir ? { TONEWALL_PROMPTS_DIR: options.promptsDir } : {}),
    // the customers key the layouts' keys and no confirmation: with the amount read back (on by
    // default since issue 21) every payment waited for # until the call ended (0 of 31 paid)
    TONEWALL_AMOUNT_READBACK: 'off',
  };
}
