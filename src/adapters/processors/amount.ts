// Moved to src/domain/payments/money.ts; kept until src/sandbox no longer imports it (issue 15, item 3).
export { minorUnitDigits, toMinorUnits } from '../../domain/payments/money.js';
