import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Text spoken at run time by espeak-ng (Debian espeak-ng) and made 8 kHz mono by sox, as
 * scripts/make-prompts.ts makes the fixed prompts: for what is known only during a call (the amount
 * read back). Files are kept by voice and text (a hash names them: the same sentence is spoken once)
 * in `directory`, readable by rtpengine (0755 folder, 0644 files whatever the umask). The text is the
 * gateway's own (a catalogue sentence and numbers), never card data.
 */
export class SpokenText {
  readonly #directory: string;

  constructor(options: { directory: string }) {
    this.#directory = options.directory;
  }

  /** The WAV file saying `text` with the espeak-ng `voice`, made if it is not there yet. */
  async fileFor(text: string, voice: string): Promise<string> {
    const name = createHash('sha256').update(`${voice}\n${text}`).digest('hex').slice(0, 32);
    const file = join(this.#directory, `${name}.wav`);
    if (await exists(file)) return file;
    await mkdir(this.#directory, { recursive: true });
    await chmod(this.#directory, 0o755);
    const raw = `${file}.${process.pid}.raw.wav`;
    const made = `${file}.${process.pid}.wav`;
    try {
      await run('espeak-ng', ['-v', voice, '-s', '150', '-w', raw, text], { timeout: 10_000 });
      await run('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', made], { timeout: 10_000 });
      await chmod(made, 0o644);
      await rename(made, file);
    } finally {
      await rm(raw, { force: true });
      await rm(made, { force: true });
    }
    return file;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
