/** Kamailio's JSON-RPC in the suite's stack (127.0.0.1:5071), for settings a test changes and puts back. */
const RPC = 'http://127.0.0.1:5071/RPC';

/** Sets one of kamailio.cfg's `tonewall.*` settings (JSON-RPC `cfg.sets`). */
async function setTonewallCfg(name: string, value: string): Promise<void> {
  const response = await fetch(RPC, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'cfg.sets', params: ['tonewall', name, value], id: 1 }),
  });
  const reply = (await response.json()) as { error?: unknown };
  if (reply.error !== undefined) throw new Error(`cfg.sets: ${JSON.stringify(reply.error)}`);
}

/** Sets `tonewall.masking_from` (TONEWALL_MASKING_FROM) for calls answered from now on. */
export function setMaskingFrom(value: 'answer' | 'agent'): Promise<void> {
  return setTonewallCfg('masking_from', value);
}

/** The transports rtpengine offers for `off`, `sdes` and `dtls` (TONEWALL_PBX_SRTP, TONEWALL_CARRIER_SRTP). */
export type LegTransport = 'RTP/AVP' | 'RTP/SAVP' | 'UDP/TLS/RTP/SAVP';

/** Sets `tonewall.pbx_transport` (TONEWALL_PBX_SRTP) for offers toward the PBX from now on. */
export function setPbxTransport(value: LegTransport): Promise<void> {
  return setTonewallCfg('pbx_transport', value);
}

/** Sets `tonewall.carrier_transport` (TONEWALL_CARRIER_SRTP) for outbound calls placed from now on. */
export function setCarrierTransport(value: LegTransport): Promise<void> {
  return setTonewallCfg('carrier_transport', value);
}
