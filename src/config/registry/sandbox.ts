import { host, integer, path, portOrAny, setting } from './setting.js';

/**
 * The sandbox processor (src/sandbox, started by `up` with `TONEWALL_PROCESSOR=sandbox`). It parses
 * these itself (src/sandbox/sandbox-config.ts); they are declared here so that one environment serves
 * it, the gateway and the scripts, and so that `tonewall config` shows them.
 */
export const SANDBOX_SETTINGS = {
  TONEWALL_SANDBOX_ADDR: setting({
    type: host,
    default: '127.0.0.1',
    readBy: ['sandbox', 'scripts'],
    doc: "the sandbox processor's HTTPS address (client certificate required)",
  }),
  TONEWALL_SANDBOX_PORT: setting({
    type: portOrAny,
    default: '8443',
    readBy: ['sandbox', 'scripts'],
    doc: 'its port',
  }),
  TONEWALL_SANDBOX_CERT: setting({
    type: path,
    defaultText: '`keys/sandbox-server.pem`',
    readBy: ['sandbox'],
    doc: 'its server certificate',
  }),
  TONEWALL_SANDBOX_KEY: setting({
    type: path,
    defaultText: '`keys/sandbox-server.key`',
    readBy: ['sandbox'],
    doc: 'its private key',
  }),
  TONEWALL_SANDBOX_CA: setting({
    type: path,
    defaultText: '`keys/ca.pem`',
    readBy: ['sandbox'],
    doc: 'the CA client certificates must chain to',
  }),
  TONEWALL_SANDBOX_DECRYPTION_KEYS: setting({
    type: path.max(8192),
    defaultText: 'every `keys/processor-enc-N.key`',
    readBy: ['sandbox'],
    doc: 'the private keys it decrypts card payloads with (comma-separated)',
  }),
  TONEWALL_SANDBOX_HANG_MS: setting({
    type: integer(100, 600_000),
    default: '60000',
    readBy: ['sandbox'],
    doc: 'how long its never-answering test card (`400000000000…0101`) holds a request before it drops it, ms; the card is charged all the same: a lookup or retry after the hold gets the charge',
  }),
} as const;
