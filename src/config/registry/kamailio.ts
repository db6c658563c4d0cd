import { z } from 'zod';
import { host, integer, path, port, setting } from './setting.js';

const sipUri = z.string().regex(/^sips?:[^"\\\s]+$/, 'must be a SIP URI (sip:HOST:PORT)');
/** Comma-separated IPv4 or IPv6 addresses, each with an optional prefix length. */
const addressList = z
  .string()
  .regex(
    /^([0-9.]{7,15}|[0-9A-Fa-f:]{2,39})(\/\d{1,3})?(,([0-9.]{7,15}|[0-9A-Fa-f:]{2,39})(\/\d{1,3})?)*$/,
    'must be IP addresses or CIDR blocks, comma-separated',
  );

/** Kamailio: where it listens and routes (scripts/lib/stack.sh), and how the gateway reaches it. */
export const KAMAILIO_SETTINGS = {
  TONEWALL_SIP_ADDR: setting({
    type: host,
    default: '127.0.0.1',
    readBy: ['stack', 'scripts'],
    doc: 'Kamailio SIP address (UDP and TCP); in production the host address carriers and the PBX reach',
  }),
  TONEWALL_SIP_PORT: setting({
    type: port,
    default: '5060',
    readBy: ['stack', 'scripts'],
    doc: 'Kamailio SIP port',
  }),
  TONEWALL_PBX_SOURCE: setting({
    type: host,
    default: '127.0.0.2',
    readBy: ['stack'],
    doc: "the PBX's address: calls from it are outbound and go to `TONEWALL_CARRIER_TARGET`, calls from a carrier (`TONEWALL_CARRIER_SOURCES`) inbound; only the PBX may name an agent",
  }),
  TONEWALL_CARRIER_SOURCES: setting({
    type: addressList,
    default: '127.0.0.0/8',
    readBy: ['stack'],
    doc: "the carriers' addresses (IPs or CIDR blocks, comma-separated): with `TONEWALL_PBX_SOURCE` the only sources Kamailio takes requests from (permissions module, an address file it renders); any other is answered 403. The default, every loopback address, is for development: list your carriers in production (docs/calls.md)",
  }),
  TONEWALL_SIP_FLOOD_LIMIT: setting({
    type: integer(10, 100_000),
    default: '400',
    readBy: ['stack'],
    doc: 'SIP requests one source address may send in 2 s before Kamailio drops its requests (pike) until it slows down',
  }),
  TONEWALL_SIP_TLS_PORT: setting({
    type: port,
    default: '5061',
    readBy: ['stack'],
    doc: 'Kamailio SIP over TLS port, on `TONEWALL_SIP_ADDR` (TLS 1.2+), when its certificate is there (docs/calls.md)',
  }),
  TONEWALL_SIP_TLS_CERT: setting({
    type: path,
    defaultText: '`<TONEWALL_KEYS_DIR>/sip-server.pem`',
    readBy: ['stack'],
    doc: "Kamailio's TLS certificate (PEM); SIP over TLS is off when it, its key or the CA file cannot be read",
  }),
  TONEWALL_SIP_TLS_KEY: setting({
    type: path,
    defaultText: '`<TONEWALL_KEYS_DIR>/sip-server.key`',
    readBy: ['stack'],
    doc: "Kamailio's TLS private key (PEM)",
  }),
  TONEWALL_SIP_TLS_CA: setting({
    type: path,
    defaultText: '`<TONEWALL_KEYS_DIR>/ca.pem`',
    readBy: ['stack'],
    doc: "the CA list Kamailio's TLS presents and checks against (peers are trusted by address, not by certificate)",
  }),
  TONEWALL_PBX_SRTP: setting({
    type: z.enum(['off', 'sdes', 'dtls']),
    default: 'off',
    readBy: ['stack'],
    doc: "SRTP on the PBX leg: `off` (RTP/AVP), `sdes` (RTP/SAVP, AES_CM_128_HMAC_SHA1_80 keys in the SDP) or `dtls` (DTLS-SRTP: UDP/TLS/RTP/SAVP with rtpengine's fingerprint); an inbound customer's leg follows what the customer offers (docs/calls.md)",
  }),
  TONEWALL_CARRIER_SRTP: setting({
    type: z.enum(['off', 'sdes', 'dtls']),
    default: 'off',
    readBy: ['stack'],
    doc: 'SRTP offered to the carrier on outbound calls (the PBX dials out): `off` (RTP/AVP), `sdes` (RTP/SAVP with keys in the SDP) or `dtls` (UDP/TLS/RTP/SAVP); re-offers keep what the carrier answered (docs/calls.md)',
  }),
  TONEWALL_PBX_TARGET: setting({
    type: sipUri,
    default: 'sip:127.0.0.2:5080',
    readBy: ['stack', 'scripts'],
    doc: 'where inbound calls go: the PBX / agent softphone',
  }),
  TONEWALL_CARRIER_TARGET: setting({
    type: sipUri,
    default: 'sip:127.0.0.3:5080',
    readBy: ['stack'],
    doc: 'where outbound calls go: the carrier',
  }),
  TONEWALL_AGENT_HEADER: setting({
    type: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name'),
    default: 'X-Agent-Id',
    readBy: ['stack'],
    doc: 'SIP header naming the agent (from the PBX side only); else the PBX-side user',
  }),
  TONEWALL_MASKING_FROM: setting({
    type: z.enum(['answer', 'agent']),
    default: 'answer',
    readBy: ['stack'],
    doc: "where masking starts: `answer` (the first 200 OK), or `agent` (inbound calls: when the PBX names the agent in a re-INVITE or UPDATE after its IVR or queue, or the answer names one; until then the customer's keys reach the PBX and no payment may start). Once on, masking stays on (docs/calls.md)",
  }),
  TONEWALL_DLG_TIMEOUT: setting({
    type: integer(60, 604_800),
    default: '14400',
    readBy: ['stack'],
    doc: "a call's longest life, s",
  }),
  TONEWALL_DLG_KEEPALIVE: setting({
    type: integer(0, 3600).refine(
      (seconds) => seconds === 0 || seconds >= 30,
      'must be 0 (off) or 30 or more',
    ),
    default: '0',
    readBy: ['stack'],
    doc: 'in-dialog OPTIONS every N s so that a party gone without a BYE ends the call (0 off; `compose.yaml` sets 30)',
  }),
  TONEWALL_EVAPI_ADDR: setting({
    type: host,
    default: '127.0.0.1',
    readBy: ['gateway', 'stack'],
    doc: 'Kamailio evapi (call events to the gateway): address',
  }),
  TONEWALL_EVAPI_PORT: setting({
    type: port,
    default: '8448',
    readBy: ['gateway', 'stack'],
    doc: 'Kamailio evapi port',
  }),
  TONEWALL_EVAPI_RECONNECT_MS: setting({
    type: integer(50, 60_000),
    default: '1000',
    readBy: ['gateway'],
    doc: 'the gateway reconnects to evapi after this long, ms',
  }),
  TONEWALL_RPC_ADDR: setting({
    type: host,
    default: '127.0.0.1',
    readBy: ['gateway', 'stack'],
    doc: 'Kamailio JSON-RPC (the dialog list the gateway resyncs from): address',
  }),
  TONEWALL_RPC_PORT: setting({
    type: port,
    default: '5071',
    readBy: ['gateway', 'stack'],
    doc: 'Kamailio JSON-RPC port',
  }),
  TONEWALL_RPC_TIMEOUT_MS: setting({
    type: integer(50, 30_000),
    default: '2000',
    readBy: ['gateway'],
    doc: 'limit of a JSON-RPC request, ms',
  }),
} as const;
