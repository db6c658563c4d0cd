import { z } from 'zod';
import { commaList, integer, onOff, setting } from './setting.js';

/** `whsec_` and the base64 of 24 to 64 random bytes (Standard Webhooks' secret form). */
const webhookSecret = z
  .string()
  .max(200)
  .regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, 'must be whsec_ and the base64 of 24-64 random bytes');

/** A host name or an IP address (IPv6 bare or in brackets), no port, no path. */
const callbackHost = z
  .string()
  .max(253)
  .regex(
    /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*|\[?[0-9a-f:.]+\]?)$/i,
    'must be host names or IP addresses, without port or path',
  );

/** `5s,5m,30m,2h`: each the wait after a failed attempt. */
const retrySchedule = commaList.pipe(
  z
    .array(
      z
        .string()
        .regex(/^\d{1,5}(ms|s|m|h)$/, 'must be durations such as 500ms, 5s, 5m, 2h')
        .transform((text) => {
          const [, amount = '0', unit = 'ms'] = /^(\d+)(ms|s|m|h)$/.exec(text) ?? [];
          return Number(amount) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[unit as 'ms'];
        })
        .pipe(z.number().int().min(100).max(86_400_000)),
    )
    .max(20),
);

/** Status callbacks (docs/webhooks.md). */
export const WEBHOOK_SETTINGS = {
  TONEWALL_WEBHOOK_SECRET: setting({
    type: webhookSecret,
    secret: true,
    readBy: ['gateway'],
    doc: 'signs status callbacks (Standard Webhooks, `whsec_…`, [docs/webhooks.md](docs/webhooks.md)); unset: callbacks are off and a `statusCallback` is refused',
  }),
  TONEWALL_WEBHOOK_PREVIOUS_SECRET: setting({
    type: webhookSecret,
    secret: true,
    readBy: ['gateway'],
    doc: 'during a rotation, the secret receivers still hold: callbacks carry a signature with each',
  }),
  TONEWALL_WEBHOOK_HOSTS: setting({
    type: commaList.pipe(z.array(callbackHost).max(100)),
    readBy: ['gateway'],
    doc: 'the hosts status callbacks may go to (comma-separated names or addresses); required with `TONEWALL_WEBHOOK_SECRET`. A private address is reached only when listed by address; a loopback one never, unless `TONEWALL_WEBHOOK_LOOPBACK` is on',
  }),
  TONEWALL_WEBHOOK_LOOPBACK: setting({
    type: onOff,
    default: 'off',
    readBy: ['gateway'],
    doc: "development and tests only: `on` lets status callbacks reach a loopback address that `TONEWALL_WEBHOOK_HOSTS` names by address (the gateway's own control planes listen on loopback); `off` refuses loopback always",
  }),
  TONEWALL_WEBHOOK_RETRY_SCHEDULE: setting({
    type: retrySchedule,
    default: '5s,5m,30m,2h,5h,10h,10h',
    readBy: ['gateway'],
    doc: 'the wait after each failed attempt of a callback (`ms`, `s`, `m`, `h`); after the last the callback is given up',
  }),
  TONEWALL_WEBHOOK_TIMEOUT_MS: setting({
    type: integer(500, 30_000),
    default: '10000',
    readBy: ['gateway'],
    doc: 'limit of one callback attempt, connection to answer, ms',
  }),
} as const;
