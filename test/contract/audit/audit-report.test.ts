import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAuditReport } from '../../../src/adapters/audit/audit-report.js';
import { AuditTrail } from '../../../src/application/audit/audit-trail.js';
import { CallRegistry } from '../../../src/application/calls/call-registry.js';
import type { PaymentUpdate } from '../../../src/application/payments/payment-ports.js';
import type { AgentView } from '../../../src/domain/capture/agent-view.js';
import type { Outcome } from '../../../src/domain/capture/capture-types.js';
import { captureLogs } from '../../support/log-capture.js';
import { openLog, tempDir } from './support.js';

const DAY = 24 * 3600_000;

/** Emits payment updates the way PaymentService does (onUpdate), from views the test writes. */
class ScriptedPayments {
  readonly #listeners = new Set<(update: PaymentUpdate) => void>();
  readonly #sequence = new Map<string, number>();
  constructor(private readonly now: () => number) {}

  onUpdate(listener: (update: PaymentUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(view: AgentView): void {
    const sequence = (this.#sequence.get(view.id) ?? 0) + 1;
    this.#sequence.set(view.id, sequence);
    const update = { view, sequence, at: new Date(this.now()).toISOString(), progress: false };
    for (const listener of this.#listeners) listener(update);
  }

  run(id: string, callId: string, end: Outcome | undefined, errorType?: AgentView['errorType']): void {
    const base: AgentView = {
      id,
      callId,
      status: 'in-progress',
      capture: 'payment-card-number',
      required: ['payment-card-number', 'expiration-date'],
      fields: { 'payment-card-number': { state: 'capturing', digits: 0, masked: '' } },
    };
    this.emit(base);
    this.emit({
      ...base,
      fields: {
        'payment-card-number': { state: 'capturing', digits: 16, masked: '****************', brand: 'visa' },
      },
    });
    if (errorType) this.emit({ ...base, errorType });
    if (end === undefined) return;
    const status = end === 'success' ? 'succeeded' : end === 'cancelled' ? 'cancelled' : 'failed';
    const result =
      end === 'success'
        ? {
            outcome: end,
            token: 'tok_1',
            last4: '4242',
            brand: 'visa' as const,
            expMonth: 12,
            expYear: 2030,
            confirmationCode: 'c1',
          }
        : { outcome: end };
    this.emit({ ...base, status, capture: null, required: [], result });
  }
}

function answered(registry: CallRegistry, sipCallId: string, masking: 'on' | 'off', agent: string) {
  return registry.answered({
    callId: sipCallId,
    fromTag: 'f',
    toTag: 't',
    customerTag: 'f',
    agentTag: 't',
    direction: sipCallId.startsWith('out') ? 'outbound' : 'inbound',
    caller: '447700900123',
    callee: 'support',
    agent,
    masking,
    ts: 1_795_400_000,
  });
}

function figures(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/data-figure="([^"]+)">([^<]*)</g)].map((m) => [m[1], m[2]]));
}

/** Drives the trail with a scripted day and a half of calls and payments; returns the closed log. */
async function scriptedLog() {
  const log = await openLog();
  const registry = new CallRegistry();
  const payments = new ScriptedPayments(() => log.time.now());
  const logs = captureLogs();
  const trail = new AuditTrail({ log: log.store, logger: logs.logger });
  trail.follow({ registry, payments });

  // Day 1: three calls, two masked; a success, a decline after a bad card number, a hang-up on the unmasked call.
  const c1 = answered(registry, 'in-1', 'on', 'agent-1');
  const c2 = answered(registry, 'in-2', 'on', 'agent-2');
  const c3 = answered(registry, 'out-3', 'off', 'agent-1');
  answered(registry, 'in-1', 'on', 'agent-1'); // a resync repeats a call: counted once
  payments.run('PK1', c1.id, 'success');
  log.time.advance(60_000);
  payments.run('PK2', c2.id, 'declined', 'invalid-card-number');
  payments.run('PK3', c3.id, 'caller-hung-up');
  registry.ended('in-1', 'bye');
  registry.ended('in-2', 'bye');
  registry.ended('out-3', 'cancel');
  await trail.recordAction({ principal: 'auditor:ann', action: 'audit-report.read', outcome: 'allowed' });

  // Day 2: one masked call with a payment still running at the end of the period.
  log.time.advance(DAY);
  const c4 = answered(registry, 'in-4', 'on', 'agent-3');
  payments.run('PK4', c4.id, undefined);
  await trail.durable();
  // Day 3: outside the period.
  log.time.advance(DAY);
  answered(registry, 'in-5', 'off', 'agent-3');
  await trail.close();
  return { ...log, logs };
}

describe('audit trail and report', () => {
  it('the report figures match the scripted calls and payments', async () => {
    const log = await scriptedLog();
    const clean = tempDir('scan');
    writeFileSync(join(clean, 'gateway.log'), '{"msg":"payment updated","digits":16}\n');
    const html = await buildAuditReport({
      logPaths: [log.dir],
      publicKeys: [log.keys],
      from: new Date('2026-11-23T00:00:00Z'),
      to: new Date('2026-11-25T00:00:00Z'),
      scanPaths: [log.dir, clean],
      now: () => Date.UTC(2026, 10, 26),
    });
    expect(figures(html)).toMatchObject({
      'calls.handled': '4',
      'calls.masked-from-answer': '3',
      'calls.masked-share': '75.0 %',
      'calls.inbound': '3',
      'calls.outbound': '1',
      'payments.started': '4',
      'payments.outcome.success': '1',
      'payments.outcome.declined': '1',
      'payments.outcome.caller-hung-up': '1',
      'payments.unfinished': '1',
      'payments.on-unmasked-calls': '1',
      'field-errors.invalid-card-number': '1',
      'calls.ended.bye': '2',
      'calls.ended.cancel': '1',
      agents: '3',
      'records.unverified': '0',
      'scan.findings': '0',
    });
    expect(html).toContain('The log verifies');
    expect(html).not.toMatch(/<script|https?:\/\/|<link|<img/i);
    expect(html).toContain('<svg');
    // The trail wrote no card data: the log itself passes the scan, and only the success has last4.
    const text = readFileSync(
      join(log.dir, (await import('node:fs')).readdirSync(log.dir).sort()[0] as string),
      'utf8',
    );
    expect(text.match(/"last4"/g)).toHaveLength(1);
    expect(log.logs.lines).toEqual([]);
  });

  it('the report shows a broken chain and a card number found by the scan', async () => {
    const log = await scriptedLog();
    const dirty = tempDir('scan');
    writeFileSync(join(dirty, 'rtpengine.log'), 'DTMF 4242 4242 4242 4242\n');
    const [first] = (await import('node:fs'))
      .readdirSync(log.dir)
      .filter((name) => name.endsWith('.jsonl'))
      .sort();
    const file = join(log.dir, first as string);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"masking":"off"', '"masking":"on"'));
    const html = await buildAuditReport({
      logPaths: [log.dir],
      publicKeys: [log.keys],
      from: new Date('2026-11-23T00:00:00Z'),
      to: new Date('2026-11-25T00:00:00Z'),
      scanPaths: [dirty],
    });
    const f = figures(html);
    expect(f['scan.findings']).toBe('1');
    expect(f['records.unverified']).toBe('1');
    expect(f['calls.handled']).toBe('3'); // the forged answer record is not counted
    expect(html).toContain('The log does NOT verify');
    expect(html).toContain('************4242');
    expect(html).not.toContain('4242 4242 4242 4242');
  });

  it('scripts/audit.ts verifies a log (exit 0), fails a tampered one (exit 1) and writes the report', async () => {
    const log = await scriptedLog();
    const cwd = join(import.meta.dirname, '../../..');
    const run = (...args: string[]) =>
      spawnSync('npx', ['tsx', 'scripts/audit.ts', ...args], { encoding: 'utf8', cwd });
    const ok = run('verify', '--keys', log.keys, log.dir);
    expect(ok.stdout).toContain('audit log verifies');
    expect(ok.status).toBe(0);

    const out = join(tempDir('report'), 'report.html');
    const report = run(
      'report',
      '--from',
      '2026-11-23',
      '--to',
      '2026-11-25',
      '--keys',
      log.keys,
      '--log',
      log.dir,
      '--scan',
      log.dir,
      '--out',
      out,
    );
    expect(report.status).toBe(0);
    expect(figures(readFileSync(out, 'utf8'))['calls.handled']).toBe('4');

    const [first] = (await import('node:fs'))
      .readdirSync(log.dir)
      .filter((name) => name.endsWith('.jsonl'))
      .sort();
    const file = join(log.dir, first as string);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(3, 1);
    writeFileSync(file, lines.join('\n'));
    const bad = run('verify', '--keys', log.keys, log.dir);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/deleted: record 3 missing before audit-000000000000-20261123\.jsonl line 4/);
  });
});
