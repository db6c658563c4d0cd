/**
 * The bench's command line: its usage, the options, and their checks (exit 2 with the usage on a
 * wrong one). `--quick` runs one call per layout of the customer mix, once.
 */
import { parseArgs } from 'node:util';
import { MASKING_MODES, type MaskingMode } from './bench-ports.js';
import { CUSTOMER_MIX } from './customer-mix.js';

export const USAGE = `usage: ./scripts/tonewall bench [--levels 25,50,100,150,200,250,300] [--runs 3] [--quick] [--rate 40]
                                [--modes on,off,one-hop] [--baseline-level held|N[,…]] [--probes N]
                                [--burners N] [--no-prompts] [--out FILE.md] [--json FILE.json] [--profile]
                                [--report-from A.json[,B.json…]]
exit status: 0 ok, 1 failed (or another bench runs), 2 usage`;

function parseArguments() {
  try {
    return parseArgs({
      options: {
        levels: { type: 'string', default: '25,50,100,150,200,250,300' },
        runs: { type: 'string', default: '3' },
        quick: { type: 'boolean', default: false },
        rate: { type: 'string', default: '40' },
        modes: { type: 'string', default: MASKING_MODES.join(',') },
        'baseline-level': { type: 'string' },
        probes: { type: 'string', default: String(CUSTOMER_MIX.length) },
        burners: { type: 'string', default: '0' },
        'no-prompts': { type: 'boolean', default: false },
        out: { type: 'string' },
        json: { type: 'string' },
        profile: { type: 'boolean', default: false },
        'report-from': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

export function positiveInt(name: string, text: string, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    console.error(`bench: --${name} must be a whole number within 1–${max}`);
    process.exit(2);
  }
  return value;
}

/** The options as the bench uses them; `--help` prints the usage and exits 0. */
export function benchOptions() {
  const { values } = parseArguments();
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const modes = values.modes.split(',').map((mode) => mode.trim()) as MaskingMode[];
  for (const mode of modes) {
    if (!MASKING_MODES.includes(mode)) {
      console.error(`bench: --modes takes ${MASKING_MODES.join(', ')}`);
      process.exit(2);
    }
  }
  return {
    values,
    quick,
    levels: (quick ? String(CUSTOMER_MIX.length) : values.levels)
      .split(',')
      .map((level) => positiveInt('levels', level, 400)),
    runs: quick ? 1 : positiveInt('runs', values.runs, 10),
    rate: positiveInt('rate', values.rate, 200),
    probes: quick ? CUSTOMER_MIX.length : positiveInt('probes', values.probes, 400),
    // busy loops beside the load (cpu-burners.ts); 0, the default, is none
    burners: values.burners === '0' ? 0 : positiveInt('burners', values.burners, 16),
    // the gateway plays no prompt (what prompts cost: rtpengine probes each file on its packet thread)
    prompts: !values['no-prompts'],
    modes,
  };
}
