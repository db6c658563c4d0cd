/**
 * The auditor's figures, counted from audit records of a period: calls handled and how many had
 * masking on from answer (the call path's own evidence: Kamailio reports `masking` in the event that
 * announces the answer), payments by outcome, payments taken on calls without masking, field errors,
 * and a day-by-day series. Records whose signature did not verify are counted apart, never in figures.
 */

import type { AuditRecord } from './audit-record.js';

export interface AuditDay {
  /** YYYY-MM-DD (UTC). */
  readonly day: string;
  readonly calls: number;
  readonly masked: number;
  readonly payments: number;
}

export interface AuditFigures {
  /** ISO instants; the period is [from, to). */
  readonly from: string;
  readonly to: string;
  readonly records: number;
  /** Records in the period whose signature did not verify (left out of every figure). */
  readonly unverifiedRecords: number;
  readonly calls: {
    readonly handled: number;
    readonly maskedFromAnswer: number;
    readonly unmasked: number;
    readonly inbound: number;
    readonly outbound: number;
    readonly endedByReason: Readonly<Record<string, number>>;
  };
  readonly agents: number;
  readonly payments: {
    readonly started: number;
    readonly finished: number;
    readonly unfinished: number;
    readonly byOutcome: Readonly<Record<string, number>>;
    /** Payments on calls whose answer record said masking was off: each one needs explaining. */
    readonly onUnmaskedCalls: number;
  };
  readonly fieldErrors: Readonly<Record<string, number>>;
  readonly days: readonly AuditDay[];
  readonly gateway: {
    readonly starts: number;
    readonly stops: number;
    readonly keyRotations: number;
    /** `log.opened` records saying the log was found shorter than its head. */
    readonly truncationsFound: number;
  };
  readonly actions: Readonly<Record<string, number>>;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

interface DayCount {
  calls: number;
  masked: number;
  payments: number;
}

export class AuditFigureCounter {
  readonly #from: number;
  readonly #to: number;
  readonly #range: { readonly from: string; readonly to: string };
  #records = 0;
  #unverified = 0;
  readonly #maskingByCall = new Map<string, 'on' | 'off'>();
  readonly #calls = new Set<string>();
  #masked = 0;
  #inbound = 0;
  #outbound = 0;
  readonly #ended: Record<string, number> = {};
  readonly #agents = new Set<string>();
  readonly #payments = new Set<string>();
  readonly #finished = new Set<string>();
  readonly #outcomes: Record<string, number> = {};
  #onUnmasked = 0;
  readonly #lastErrorType = new Map<string, string>();
  readonly #fieldErrors: Record<string, number> = {};
  readonly #days = new Map<string, DayCount>();
  readonly #gateway = { starts: 0, stops: 0, keyRotations: 0, truncationsFound: 0 };
  readonly #actions: Record<string, number> = {};

  constructor(period: { readonly from: number; readonly to: number }) {
    this.#from = period.from;
    this.#to = period.to;
    this.#range = { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() };
  }

  /** Feeds a record (every record of the log, in order: calls answered before the period still tell masking). */
  add(record: AuditRecord, signed: boolean): void {
    const at = Date.parse(record.at);
    const inPeriod = at >= this.#from && at < this.#to;
    if (!signed) {
      if (inPeriod) this.#unverified += 1;
      return;
    }
    const masking = text(record.data.masking);
    // a call answered by an IVR (phase `ivr`) is masked from its agent on: its call.agent record says so
    const settles =
      (record.type === 'call.answered' && record.data.phase !== 'ivr') || record.type === 'call.agent';
    if (settles && record.callId && (masking === 'on' || masking === 'off')) {
      if (!this.#maskingByCall.has(record.callId)) {
        this.#maskingByCall.set(record.callId, masking);
        if (record.type === 'call.agent' && masking === 'on' && inPeriod && this.#calls.has(record.callId)) {
          this.#masked += 1;
          this.#day(record.at.slice(0, 10)).masked += 1;
        }
      }
    }
    if (!inPeriod) return;
    this.#records += 1;
    if (record.agent !== undefined) this.#agents.add(record.agent);
    const day = this.#day(record.at.slice(0, 10));
    switch (record.type) {
      case 'call.answered':
        this.#callAnswered(record, day);
        return;
      case 'call.ended':
        bump(this.#ended, text(record.data.reason) ?? 'unknown');
        return;
      case 'payment.started':
      case 'payment.updated':
      case 'payment.finished':
        this.#payment(record, day);
        return;
      case 'log.opened':
        this.#gateway.starts += 1;
        if (record.data.headAhead !== undefined && record.data.headAhead !== null)
          this.#gateway.truncationsFound += 1;
        return;
      case 'log.closed':
        this.#gateway.stops += 1;
        return;
      case 'key.rotated':
        this.#gateway.keyRotations += 1;
        return;
      case 'api.action':
        bump(
          this.#actions,
          `${text(record.data.action) ?? 'unnamed'} ${text(record.data.outcome) ?? ''}`.trim(),
        );
        return;
      case 'auth.event':
        bump(
          this.#actions,
          `auth.${text(record.data.event) ?? 'unnamed'} ${text(record.data.outcome) ?? ''}`.trim(),
        );
        return;
    }
  }

  finish(): AuditFigures {
    const byOutcome = { ...this.#outcomes };
    return {
      ...this.#range,
      records: this.#records,
      unverifiedRecords: this.#unverified,
      calls: {
        handled: this.#calls.size,
        maskedFromAnswer: this.#masked,
        unmasked: this.#calls.size - this.#masked,
        inbound: this.#inbound,
        outbound: this.#outbound,
        endedByReason: { ...this.#ended },
      },
      agents: this.#agents.size,
      payments: {
        started: this.#payments.size,
        finished: this.#finished.size,
        unfinished: this.#payments.size - this.#finished.size,
        byOutcome,
        onUnmaskedCalls: this.#onUnmasked,
      },
      fieldErrors: { ...this.#fieldErrors },
      days: [...this.#days.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([day, count]) => ({ day, ...count })),
      gateway: { ...this.#gateway },
      actions: { ...this.#actions },
    };
  }

  #day(day: string): DayCount {
    let count = this.#days.get(day);
    if (!count) {
      count = { calls: 0, masked: 0, payments: 0 };
      this.#days.set(day, count);
    }
    return count;
  }

  #callAnswered(record: AuditRecord, day: DayCount): void {
    const callId = record.callId;
    if (callId === undefined || this.#calls.has(callId)) return; // a resync repeats an answered call
    this.#calls.add(callId);
    day.calls += 1;
    if (this.#maskingByCall.get(callId) === 'on') {
      this.#masked += 1;
      day.masked += 1;
    }
    if (record.data.direction === 'outbound') this.#outbound += 1;
    else this.#inbound += 1;
  }

  #payment(record: AuditRecord, day: DayCount): void {
    const paymentId = record.paymentId;
    if (paymentId === undefined) return;
    if (!this.#payments.has(paymentId)) {
      this.#payments.add(paymentId);
      day.payments += 1;
      if (record.callId !== undefined && this.#maskingByCall.get(record.callId) === 'off')
        this.#onUnmasked += 1;
    }
    const errorType = text(record.data.errorType);
    if (errorType !== undefined && this.#lastErrorType.get(paymentId) !== errorType)
      bump(this.#fieldErrors, errorType);
    if (errorType !== undefined) this.#lastErrorType.set(paymentId, errorType);
    else this.#lastErrorType.delete(paymentId);
    if (record.type === 'payment.finished' && !this.#finished.has(paymentId)) {
      this.#finished.add(paymentId);
      this.#lastErrorType.delete(paymentId);
      bump(this.#outcomes, text(record.data.outcome) ?? text(record.data.status) ?? 'unknown');
    }
  }
}
