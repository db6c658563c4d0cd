/**
 * A flood of DTMF reports on one call (10 000 datagrams over real UDP, keys 0–9, * and #) through
 * the listener, the router and the payment service: the capture stays bounded (no field ever holds
 * more digits than its buffer, the payment ends with a clear outcome), memory does not grow with
 * the flood, and the listener answers the next report at once.
 */

import { createSocket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { DtmfListener } from '../../src/adapters/rtpengine/dtmf-listener.js';
import { systemClock } from '../../src/application/clock.js';
import { DtmfRouter } from '../../src/application/media/dtmf-router.js';
import type { PaymentUpdate } from '../../src/application/payments/payment-ports.js';
import { parseCreatePayment } from '../../src/delivery/http/payment-schemas.js';
import { answeredEvent } from '../support/call-fixtures.js';
import { paymentCore } from '../support/in-process-app.js';
import { captureLogs } from '../support/log-capture.js';

const FLOOD = 10_000;
const KEYS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 10, 11]; // rtpengine event numbers: 10 is *, 11 is #
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

const report = (callid: string, tag: string, event: number) =>
  JSON.stringify({
    callid,
    source_tag: tag,
    tags: [tag],
    type: 'DTMF',
    timestamp: 1,
    source_ip: '127.0.0.1',
    event,
    duration: 80,
    volume: 8,
  });

describe('a DTMF flood on one call', () => {
  it('keeps the capture bounded, memory flat and the listener responsive', async () => {
    const logs = captureLogs('info');
    const { registry, connector, payments } = paymentCore(logs.logger);
    const router = new DtmfRouter({ registry, sink: payments, logger: logs.logger });
    const listener = new DtmfListener({
      clock: systemClock,
      host: '127.0.0.1',
      port: 0,
      allowedSources: ['127.0.0.1'],
      logger: logs.logger,
      onEvent: (event) => router.route(event),
      tonesPort: 0,
    });
    const port = await listener.start();
    closers.push(() => listener.close());
    const call = registry.answered(answeredEvent('sip-flood'));
    const { view } = payments.create(
      call.id,
      parseCreatePayment({ idempotencyKey: 'flood', securityCode: true, postalCode: true, maxAttempts: 3 }),
    );
    const updates: PaymentUpdate[] = [];
    payments.subscribe(view.id, (update) => updates.push(update));

    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const send = (payload: string) =>
      new Promise<void>((resolve, reject) =>
        socket.send(payload, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
      );
    const settle = async (count: number) => {
      const deadline = Date.now() + 5000;
      const seen = () => {
        const stats = listener.stats;
        return stats.accepted + stats.duplicates + stats.malformed + stats.droppedSource;
      };
      while (seen() < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      return seen();
    };

    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const startedAt = performance.now();
    for (let sent = 0; sent < FLOOD; sent += 1) {
      await send(report('sip-flood', call.customerTag, KEYS[sent % KEYS.length] ?? 1));
      // let the listener keep up, as a paced sender would (a kernel buffer overflow is not the subject)
      if (sent % 200 === 199) await settle(sent + 1);
    }
    expect(await settle(FLOOD)).toBe(FLOOD);
    const floodMs = performance.now() - startedAt;

    // responsive: one more report (another call) is handled within 100 ms
    const unknownBefore = router.stats.unknownCall;
    const probeAt = performance.now();
    await send(report('sip-other', 'x', 5));
    await settle(FLOOD + 1);
    const probeMs = performance.now() - probeAt;
    expect(router.stats.unknownCall).toBe(unknownBefore + 1);
    expect(probeMs).toBeLessThan(100);

    // bounded: every update's fields within their buffers; the payment ended with an outcome
    expect(listener.stats.accepted).toBe(FLOOD + 1);
    expect(router.stats.customer).toBe(FLOOD);
    const limits: Record<string, number> = {
      'payment-card-number': 19,
      'expiration-date': 4,
      'security-code': 4,
      'postal-code': 10,
    };
    for (const update of updates) {
      for (const [field, state] of Object.entries(update.view.fields)) {
        expect(state.digits, field).toBeLessThanOrEqual(limits[field] ?? 0);
      }
    }
    const final = payments.get(view.id);
    expect(['failed', 'succeeded']).toContain(final.status);
    expect(final.result?.outcome).toEqual(expect.any(String));
    expect(payments.activeCount).toBe(0);
    // the updates stop when the payment ends: thousands of keys did not make thousands of updates
    expect(updates.length).toBeLessThan(200);
    expect(connector.requests.length).toBeLessThanOrEqual(1);

    globalThis.gc?.();
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    expect(heapGrowthMb).toBeLessThan(globalThis.gc ? 5 : 32);
    socket.close();
    expect(logs.text()).not.toMatch(/\d{13,19}/);
    console.info(
      `DTMF flood: ${FLOOD} datagrams in ${Math.round(floodMs)} ms, probe answered in ${probeMs.toFixed(1)} ms, ` +
        `${updates.length} updates, outcome ${final.result?.outcome}, heap +${heapGrowthMb.toFixed(1)} MB`,
    );
  });
});
