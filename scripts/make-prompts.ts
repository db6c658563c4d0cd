// Makes every customer prompt of every language (src/domain/language/catalogue/) as an 8 kHz mono
// WAV file, DIR/<language>/<prompt id>.wav: a recording dropped in RECORDED/<language>/<prompt id>.wav
// (any format sox reads) when there is one, else the catalogue's text spoken by espeak-ng with the
// language's voice (Debian packages espeak-ng and sox). A file is made again when its source changed
// (DIR/<language>/<prompt id>.source says what it was made from) or with --force.
//   npx tsx scripts/make-prompts.ts --dir .run/prompts [--voice en-gb] [--recorded prompts/recorded]
//     [--language es-ES ...] [--force] [--check]
// --voice: the en-GB voice (TONEWALL_PROMPT_VOICE). --check makes nothing and lists missing or stale
// files (exit 1 when there are any).
// Exit status 0 ok, 1 failed, 2 usage; `-h`/`--help` prints the usage.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROMPT_IDS, type PromptId } from '../src/domain/capture/capture-commands.js';
import { CATALOGUES } from '../src/domain/language/catalogue.js';
import { isLanguage, LANGUAGES, type Language } from '../src/domain/language/languages.js';

const USAGE =
  'usage: make-prompts.ts --dir DIR [--voice en-gb] [--recorded DIR] [--language TAG ...] [--force] [--check]\n' +
  'exit status: 0 ok, 1 failed (or --check found missing or stale files), 2 usage';

function parseArguments() {
  try {
    return parseArgs({
      options: {
        dir: { type: 'string' },
        voice: { type: 'string', default: 'en-gb' },
        recorded: { type: 'string', default: 'prompts/recorded' },
        language: { type: 'string', multiple: true },
        force: { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
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
const unknown = (values.language ?? []).filter((tag) => !isLanguage(tag));
if (unknown.length > 0) {
  console.error(
    `make-prompts: unknown --language ${unknown.join(', ')} (one of ${LANGUAGES.join(', ')})\n${USAGE}`,
  );
  process.exit(2);
}
const dir = values.dir;
const recorded = resolve(values.recorded);
const languages = (values.language ?? LANGUAGES) as readonly Language[];

/** What a prompt file is made from: a recording (path, size, time) or espeak-ng's voice and text. */
function sourceOf(language: Language, prompt: PromptId): { recording?: string; source: string } {
  const recording = join(recorded, language, `${prompt}.wav`);
  if (existsSync(recording)) {
    const { size, mtimeMs } = statSync(recording);
    return { recording, source: `recording ${recording} ${size} ${Math.floor(mtimeMs)}\n` };
  }
  const voice = language === 'en-GB' ? values.voice : CATALOGUES[language].espeakVoice;
  return { source: `espeak-ng ${voice}\n${CATALOGUES[language].prompts[prompt]}\n` };
}

function voiceOf(source: string): string {
  return source.split('\n')[0]?.split(' ')[1] ?? '';
}

let made = 0;
const stale: string[] = [];
for (const language of languages) {
  mkdirSync(join(dir, language), { recursive: true });
  for (const prompt of PROMPT_IDS) {
    const file = join(dir, language, `${prompt}.wav`);
    const sourceFile = join(dir, language, `${prompt}.source`);
    const { recording, source } = sourceOf(language, prompt);
    const current = existsSync(file) && existsSync(sourceFile) && readFileSync(sourceFile, 'utf8') === source;
    if (current && !values.force) continue;
    if (values.check) {
      stale.push(`${language}/${prompt}.wav`);
      continue;
    }
    // 8 kHz mono keeps rtpengine's resampling out of the way for G.711 calls.
    let input = recording;
    const raw = `${file}.raw.wav`;
    if (input === undefined) {
      execFileSync('espeak-ng', [
        '-v',
        voiceOf(source),
        '-s',
        '150',
        '-w',
        raw,
        CATALOGUES[language].prompts[prompt],
      ]);
      input = raw;
    }
    execFileSync('sox', [input, '-r', '8000', '-c', '1', '-b', '16', file]);
    rmSync(raw, { force: true });
    writeFileSync(sourceFile, source);
    made += 1;
  }
}
if (values.check) {
  if (stale.length > 0) {
    console.error(
      `make-prompts: ${stale.length} prompt file(s) missing or stale in ${dir}: ${stale.join(' ')}`,
    );
    process.exit(1);
  }
  console.log(`tonewall: every prompt of ${languages.join(', ')} is in ${dir}`);
} else {
  console.log(
    `tonewall: ${made} prompt(s) written to ${dir} (${languages.join(', ')}; en-GB voice ${values.voice})`,
  );
}
