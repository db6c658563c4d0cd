import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OUTCOMES, type Outcome } from '../../domain/capture/capture-types.js';

/** What a DTMF report became; the listener's and the router's counters, by name. */
export const DTMF_RESULTS = [
  'accepted',
  'duplicate',
  'dropped-source',
  'overflow',
  'malformed',
  'agent-ignored',
  'unknown-call',
  'unknown-tag',
] as const;
export type DtmfResult = (typeof DTMF_RESULTS)[number];

/** The gateway's state, read at scrape time (no copy is kept between scrapes). */
export interface MetricsSources {
  calls(): ReadonlyArray<{ readonly masking: 'on' | 'off' }>;
  paymentsActive(): number;
  dtmf(): Readonly<Record<DtmfResult, number>>;
  evapiConnected(): boolean;
  auditHealthy(): boolean;
  processorBreaker?(): 'closed' | 'half-open' | 'open';
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The gateway's Prometheus metrics in a registry of its own (never prom-client's global one).
 * Labels take values from closed sets only (commands, outcomes, error codes, connector names):
 * no call id, payment id or card data can become a label, so cardinality stays bounded.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #ngLatency: Histogram<'command' | 'result'>;
  readonly #processorLatency: Histogram<'connector' | 'outcome'>;
  readonly #paymentsEnded: Counter<'outcome'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    new Gauge({
      name: 'tonewall_calls_active',
      help: 'Answered calls the gateway knows of, by DTMF masking state',
      labelNames: ['masking'],
      registers,
      collect() {
        const calls = sources.calls();
        const on = calls.filter((call) => call.masking === 'on').length;
        this.set({ masking: 'on' }, on);
        this.set({ masking: 'off' }, calls.length - on);
      },
    });
    new Gauge({
      name: 'tonewall_payments_active',
      help: 'Payments capturing or processing',
      registers,
      collect() {
        this.set(sources.paymentsActive());
      },
    });
    this.#paymentsEnded = new Counter({
      name: 'tonewall_payments_total',
      help: 'Payments ended, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of OUTCOMES) this.#paymentsEnded.inc({ outcome }, 0);
    new Counter({
      name: 'tonewall_dtmf_events_total',
      help: 'DTMF reports received from rtpengine, by what became of them',
      labelNames: ['result'],
      registers,
      collect() {
        const counts = sources.dtmf();
        this.reset();
        for (const result of DTMF_RESULTS) this.inc({ result }, counts[result]);
      },
    });
    this.#ngLatency = new Histogram({
      name: 'tonewall_ng_request_duration_seconds',
      help: 'rtpengine NG requests made by the gateway, by command and result (ok or error code)',
      labelNames: ['command', 'result'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#processorLatency = new Histogram({
      name: 'tonewall_processor_request_duration_seconds',
      help: 'Tokenisations, retries included, by connector and outcome (success, declined or error code)',
      labelNames: ['connector', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'tonewall_evapi_connected',
      help: '1 while the Kamailio evapi connection is up',
      registers,
      collect() {
        this.set(sources.evapiConnected() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'tonewall_audit_healthy',
      help: '1 while audit records can be written (0: no new payments, GW_ERR_AUDIT_WRITE)',
      registers,
      collect() {
        this.set(sources.auditHealthy() ? 1 : 0);
      },
    });
    const breaker = sources.processorBreaker;
    if (breaker) {
      new Gauge({
        name: 'tonewall_processor_breaker_open',
        help: 'Processor circuit breaker: 0 closed, 0.5 half-open, 1 open (fails fast)',
        registers,
        collect() {
          const state = breaker();
          this.set(state === 'open' ? 1 : state === 'half-open' ? 0.5 : 0);
        },
      });
    }
  }

  /** One NG request: `result` is `ok` or the GW_ERR_* code it failed with. */
  observeNg(command: string, result: string, seconds: number): void {
    this.#ngLatency.observe({ command, result }, seconds);
  }

  /** One tokenisation: `outcome` is `success`, `declined` or the GW_ERR_* code it failed with. */
  observeProcessor(connector: string, outcome: string, seconds: number): void {
    this.#processorLatency.observe({ connector, outcome }, seconds);
  }

  paymentEnded(outcome: Outcome): void {
    this.#paymentsEnded.inc({ outcome });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
