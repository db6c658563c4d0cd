// Moved to src/domain/money.ts; kept until src/sandbox no longer imports it (issue 15, item 3).
export { minorUnitDigits, toMinorUnits } from '../../domain/money.js';
