import { commaList, hostPort, integer, setting, stackText } from './setting.js';

/** DTMF masking and reporting: the blocks Kamailio applies at answer, the mask hop's delay, the reports to the gateway. */
export const MASKING_SETTINGS = {
  TONEWALL_MASK_DELAY_BUFFER: setting({
    type: integer(20, 1000),
    default: '70',
    readBy: ['gateway', 'stack', 'scripts'],
    doc: "the mask hop's delay buffer (applied by Kamailio at answer), ms",
  }),
  TONEWALL_EDGE_DELAY_BUFFER: setting({
    type: integer(0, 1000),
    default: '10',
    readBy: ['gateway', 'stack', 'scripts'],
    doc: "the edge's delay buffer for a customer whose SDP has telephone-event, ms: the edge renders each RFC 4733 event and blanks it, keeping its output one unbroken sequence (0: drop the events, which leaves sequence gaps that delay the mask hop after keys)",
  }),
  TONEWALL_EDGE_TRANSCODE_FLAGS: setting({
    type: stackText,
    default: 'inject-DTMF',
    readBy: ['stack', 'scripts'],
    doc: 'flags Kamailio adds to the offers and answers of the edge (and the mask hop, chained with it) for a customer whose SDP has no telephone-event: `inject-DTMF` makes the edge decode and re-encode that audio without running its tone detector, so holes in it (silence suppression) never reach the mask hop; empty: the edge forwards such audio as is',
  }),
  TONEWALL_UNMUTE_DELAY_MS: setting({
    type: integer(0, 10_000),
    default: '500',
    readBy: ['gateway'],
    doc: "how long after a payment ends the gateway lets the customer's audio through to the agent again, ms (the last key's tone may still be on its way)",
  }),
  TONEWALL_MASK_DTX_DELAY: setting({
    type: integer(0, 1000),
    default: '0',
    readBy: ['stack', 'scripts'],
    doc: "the mask hop's DTX playout (`--dtx-delay`), ms; 0: off (the edge already gives the mask hop a stream without holes; DTX there lagged after RFC 4733 keys, docs/media.md)",
  }),
  TONEWALL_MASK_RTPE_ARGS: setting({
    type: stackText,
    defaultText: '`--dtx-delay=<TONEWALL_MASK_DTX_DELAY> --max-dtx=0`',
    readBy: ['stack', 'scripts'],
    doc: "the mask hop's own rtpengine arguments",
  }),
  TONEWALL_BLOCK_DTMF_FLAGS: setting({
    type: stackText,
    defaultText: '`DTMF-security=silence delay-buffer=<TONEWALL_MASK_DELAY_BUFFER> detect-DTMF`',
    readBy: ['stack', 'scripts'],
    doc: 'the block Kamailio applies on the mask hop at answer (never `DTMF-security=random`: it crashes rtpengine 10.5)',
  }),
  TONEWALL_EDGE_RTPE_ARGS: setting({
    type: stackText,
    default: '',
    readBy: ['stack'],
    doc: "the edge's own rtpengine arguments",
  }),
  TONEWALL_EDGE_BLOCK_DTMF_FLAGS: setting({
    type: stackText,
    defaultText: '`DTMF-security=silence delay-buffer=<TONEWALL_EDGE_DELAY_BUFFER>`, empty when that is 0',
    readBy: ['stack', 'scripts'],
    doc: 'the block Kamailio applies on the edge at answer to a customer whose SDP has telephone-event (any other customer: drop, which leaves the audio untouched); empty: drop',
  }),
  TONEWALL_DTMF_LOG_DEST: setting({
    type: hostPort,
    default: '127.0.0.1:999',
    readBy: ['gateway', 'stack', 'scripts'],
    doc: 'HOST:PORT the edge reports RFC 4733 keys to, where the gateway listens; below 1024 (a privileged port) no unprivileged local process can take it, even while the gateway restarts',
  }),
  TONEWALL_MASK_DTMF_LOG_DEST: setting({
    type: hostPort,
    defaultText: 'the port below, same host',
    readBy: ['gateway', 'stack', 'scripts'],
    doc: 'HOST:PORT the mask hop reports in-band keys to (the host of `TONEWALL_DTMF_LOG_DEST`, another port)',
  }),
  TONEWALL_DTMF_ALLOWED_SOURCES: setting({
    type: commaList,
    default: '127.0.0.1',
    readBy: ['gateway'],
    doc: 'addresses the gateway takes DTMF reports from (comma-separated)',
  }),
} as const;
