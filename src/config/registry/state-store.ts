import { z } from 'zod';
import { commaList, integer, setting } from './setting.js';

/** Where the state shared by gateways lives (docs/operations.md, "Shared state (issue 19)"). */
export const STATE_STORE_SETTINGS = {
  TONEWALL_STATE_STORE: setting({
    type: z.enum(['embedded', 'redis']),
    default: 'embedded',
    readBy: ['gateway'],
    doc: '`embedded` (one gateway: `TONEWALL_STATE_DB` and the status file) or `redis` (idempotency keys, charges awaiting reconciliation, payment statuses, agent sessions and the status callback queue in Redis, shared by several gateways; no card data)',
  }),
  TONEWALL_REDIS_URL: setting({
    type: z
      .string()
      .max(2048)
      .regex(/^(redis|rediss|unix):\/\/\S+$/, 'must be a redis://, rediss:// or unix:// URL'),
    secret: true,
    readBy: ['gateway'],
    doc: 'the Redis for `TONEWALL_STATE_STORE=redis`: `redis://HOST:PORT/DB` (loopback only: cleartext), `rediss://` (TLS, any host) or `unix:///path/redis.sock`; a password in the URL is a secret',
  }),
  TONEWALL_REDIS_TIMEOUT_MS: setting({
    type: integer(20, 10_000),
    default: '500',
    readBy: ['gateway'],
    doc: 'the longest a request waits for Redis before it fails `GW_ERR_STATE_STORE` (503), ms',
  }),
  TONEWALL_INSTANCE_NAME: setting({
    type: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 of A-Z a-z 0-9 . _ : -'),
    defaultText: 'the host name and `TONEWALL_HTTP_PORT`',
    readBy: ['gateway'],
    doc: 'this gateway among those sharing a Redis, the same across its restarts: at start it ends only its own unfinished payments',
  }),
  TONEWALL_MEDIA_NODES: setting({
    type: commaList.pipe(
      z
        .array(
          z.string().regex(/^(udp6?:)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be udp:HOST:PORT'),
        )
        .max(16),
    ),
    defaultText:
      '`udp:` `TONEWALL_NG_ADDR` with each of `TONEWALL_NG_PORT`, `TONEWALL_MASK_NG_PORT`, `TONEWALL_MUTE_NG_PORT`',
    readBy: ['gateway'],
    doc: 'with `TONEWALL_STATE_STORE=redis`: this gateway\'s media chain, its rtpengine nodes as Kamailio\'s `rtpengine_sock` names them (comma-separated `udp:HOST:PORT`); a payment on a call whose media runs through another chain is refused `GW_ERR_OTHER_GATEWAY` (docs/operations.md, "The pair")',
  }),
  TONEWALL_GATEWAY_URL: setting({
    type: z.url({ protocol: /^https?$/ }).max(2048),
    defaultText: '`http://` `TONEWALL_HTTP_HOST`:`TONEWALL_HTTP_PORT`',
    readBy: ['gateway'],
    doc: "with `TONEWALL_STATE_STORE=redis`: where agents and integrations reach this gateway, named to them by the other gateways of a pair when a call is this one's to capture (`GW_ERR_OTHER_GATEWAY`)",
  }),
  TONEWALL_PAIR_PORT_OFFSET: setting({
    type: integer(2, 500),
    default: '10',
    readBy: ['scripts'],
    doc: "`up --pair`: the second media chain's NG ports and the second gateway's HTTP port are the first's plus this, its DTMF report ports the first's minus this (docs/operations.md, \"The pair\")",
  }),
  TONEWALL_PAIR_REDIS_PORT: setting({
    type: integer(1, 65535),
    default: '6380',
    readBy: ['scripts'],
    doc: '`up --pair`: the port of the Redis it starts on 127.0.0.1 (append-only file, fsync every second) for both gateways',
  }),
} as const;
