import { z } from 'zod';
import { host, integer, onOff, port, setting, stackText } from './setting.js';

/** The three rtpengines (edge, mask hop, mute hop): control ports, media, threads, flags (scripts/lib/stack.sh). */
export const RTPENGINE_SETTINGS = {
  TONEWALL_NG_ADDR: setting({
    type: host,
    default: '127.0.0.1',
    readBy: ['gateway', 'stack', 'scripts'],
    doc: "the rtpengines' NG control address",
  }),
  TONEWALL_NG_PORT: setting({
    type: port,
    default: '2223',
    readBy: ['gateway', 'stack'],
    doc: "the edge rtpengine's NG port (faces the customer)",
  }),
  TONEWALL_MASK_NG_PORT: setting({
    type: port,
    default: '2225',
    readBy: ['gateway', 'stack', 'scripts'],
    doc: "the mask hop's NG port (in-band tones)",
  }),
  TONEWALL_MUTE_NG_PORT: setting({
    type: port,
    default: '2227',
    readBy: ['gateway', 'stack', 'scripts'],
    doc: "the mute hop's NG port (faces the agent; the gateway stops the customer's audio there while a payment captures)",
  }),
  TONEWALL_NG_TIMEOUT_MS: setting({
    type: integer(50, 30_000),
    default: '1000',
    readBy: ['gateway'],
    doc: 'limit of one NG request, ms',
  }),
  TONEWALL_NG_RETRIES: setting({
    type: integer(0, 10),
    default: '2',
    readBy: ['gateway'],
    doc: 'NG retries after a timeout (same cookie)',
  }),
  TONEWALL_LOCAL_FIREWALL: setting({
    type: onOff,
    default: 'on',
    readBy: ['stack'],
    doc: "an nftables table per run: only `TONEWALL_CONTROL_UIDS` may send to rtpengine's NG ports, Kamailio's JSON-RPC and evapi, and the DTMF report ports (scripts/lib/stack-firewall.sh); `off` where the stack may not change nftables (a container without NET_ADMIN)",
  }),
  TONEWALL_CONTROL_UIDS: setting({
    type: z.string().regex(/^\d{1,10}(\s*,\s*\d{1,10}){0,15}$/, 'must be numeric user ids, comma-separated'),
    defaultText: "the user that starts the stack (`up` as root: and the gateway's user, `tonewall`)",
    readBy: ['stack'],
    doc: 'the user ids of the gateway, Kamailio and rtpengine, comma-separated: the only senders the local firewall lets reach the control planes',
  }),
  TONEWALL_CLI_PORT: setting({
    type: port,
    readBy: ['stack'],
    doc: "the edge's CLI port on 127.0.0.1; unset (the default): no CLI listener, as any local process could use it to raise the log level so that digits are logged. The test suite opens it to list calls",
  }),
  TONEWALL_MASK_CLI_PORT: setting({
    type: port,
    readBy: ['stack'],
    doc: "the mask hop's CLI port; unset: none",
  }),
  TONEWALL_MUTE_CLI_PORT: setting({
    type: port,
    readBy: ['stack'],
    doc: "the mute hop's CLI port; unset: none",
  }),
  TONEWALL_MEDIA_ADDR: setting({
    type: host,
    default: '127.0.0.1',
    readBy: ['stack'],
    doc: "rtpengine's media address; in production the host's media address",
  }),
  TONEWALL_RTP_PORT_MIN: setting({
    type: port,
    default: '30000',
    readBy: ['stack', 'scripts'],
    doc: 'RTP ports: the edge takes the lowest third of the range, the mask hop the middle, the mute hop the top',
  }),
  TONEWALL_RTP_PORT_MAX: setting({
    type: port,
    default: '30999',
    readBy: ['stack', 'scripts'],
    doc: "the range's last port",
  }),
  TONEWALL_RTPE_THREADS: setting({
    type: integer(1, 256),
    defaultText: 'cores − 1 (at least 1)',
    readBy: ['stack', 'scripts'],
    doc: "rtpengine's worker threads (`--num-threads`): its default of one per core took 61–69 % of a core at 150 masked calls on 2 cores, one thread 44 %",
  }),
  TONEWALL_RTPE_OFFER_FLAGS: setting({
    type: stackText,
    default: 'replace-origin replace-session-connection ICE=remove',
    readBy: ['stack'],
    doc: "flags of Kamailio's `rtpengine_offer` on every hop, without a transport: kamailio.cfg adds RTP/AVP between the hops and toward the PBX, and toward the customer the transport of the customer's first SDP (SRTP stays SRTP on a re-INVITE)",
  }),
  TONEWALL_RTPE_ANSWER_FLAGS: setting({
    type: stackText,
    default: 'replace-origin replace-session-connection ICE=remove',
    readBy: ['stack'],
    doc: "flags of Kamailio's `rtpengine_answer` on every hop (no transport: each hop answers in its offerer's, so a customer who offered SRTP gets SRTP)",
  }),
  TONEWALL_RTPE_EXTRA_ARGS: setting({
    type: stackText,
    default: '',
    readBy: ['stack'],
    doc: 'more rtpengine arguments for every hop, last (so they override)',
  }),
} as const;
