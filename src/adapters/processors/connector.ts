// The port moved to src/application/payments/processor-connector.ts; kept until src/sandbox and the
// processor tests import it from there (issue 15, item 3).
export * from '../../application/payments/processor-connector.js';
