import { integer, setting } from './setting.js';

/** Back-pressure: when the gateway refuses new payments rather than capture keys it may get wrong. */
export const CAPACITY_SETTINGS = {
  TONEWALL_MAX_PAYMENTS_IN_PROGRESS: setting({
    type: integer(0, 100_000),
    default: '0',
    readBy: ['gateway'],
    doc: 'payments in progress at once (capturing, processing or of unknown outcome); a new one beyond it is refused `GW_ERR_OVERLOADED` (503, `Retry-After`); 0: no cap. Set it from the largest level `./scripts/tonewall bench` found held on the media host',
  }),
  TONEWALL_OVERLOAD_CPU_PERCENT: setting({
    type: integer(0, 100),
    default: '0',
    readBy: ['gateway'],
    doc: "refuse new payments (`GW_ERR_OVERLOADED`) while the host's CPUs were at least this busy, % of all cores (/proc/stat), in each of the last `TONEWALL_OVERLOAD_WINDOW_S` seconds; 0: off. For a gateway on the media host: a saturated rtpengine gets keys wrong",
  }),
  TONEWALL_OVERLOAD_WINDOW_S: setting({
    type: integer(1, 60),
    default: '5',
    readBy: ['gateway'],
    doc: 'the seconds `TONEWALL_OVERLOAD_CPU_PERCENT` looks back',
  }),
} as const;
