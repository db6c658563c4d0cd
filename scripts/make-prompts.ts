// Speaks every customer prompt to a WAV file with espeak-ng (Debian package espeak-ng):
//   npx tsx scripts/make-prompts.ts --dir .run/prompts --voice en-gb [--force]
// Exit status 0 ok, 1 failed, 2 usage; `-h`/`--help` prints the usage.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROMPT_TEXTS } from '../src/adapters/rtpengine/prompt-texts.js';

const USAGE =
  'usage: make-prompts.ts --dir DIR [--voice en-gb] [--force]\nexit status: 0 ok, 1 failed, 2 usage';

function parseArguments() {
  try {
    return parseArgs({
      options: {
        dir: { type: 'string' },
        voice: { type: 'string', default: 'en-gb' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`make-prompts: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const values = parseArguments();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.dir) {
  console.error(`make-prompts: --dir is required\n${USAGE}`);
  process.exit(2);
}
mkdirSync(values.dir, { recursive: true });
let made = 0;
for (const [prompt, text] of Object.entries(PROMPT_TEXTS)) {
  const file = join(values.dir, `${prompt}.wav`);
  if (!values.force && existsSync(file)) continue;
  // 8 kHz mono keeps rtpengine's resampling out of the way for G.711 calls.
  const raw = `${file}.22k.wav`;
  execFileSync('espeak-ng', ['-v', values.voice, '-s', '150', '-w', raw, text]);
  execFileSync('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', file]);
  rmSync(raw, { force: true });
  made += 1;
}
console.log(`tonewall: ${made} prompt(s) written to ${values.dir} (voice ${values.voice})`);
