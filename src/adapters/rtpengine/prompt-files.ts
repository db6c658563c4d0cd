import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { PROMPT_IDS, type PromptId } from '../../domain/capture/capture-commands.js';
import { LANGUAGES, type Language } from '../../domain/language/languages.js';

/**
 * Where the prompt files are: `<directory>/<language>/<prompt id>.wav`, as scripts/make-prompts.ts
 * writes them (spoken by espeak-ng from the catalogue, or a recording dropped in per language).
 */
export function promptFile(directory: string, language: Language, prompt: PromptId): string {
  return join(directory, language, `${prompt}.wav`);
}

/** The prompt files that are missing or unreadable, as `<language>/<prompt id>.wav`. */
export function missingPromptFiles(directory: string): string[] {
  const missing: string[] = [];
  for (const language of LANGUAGES) {
    for (const prompt of PROMPT_IDS) {
      try {
        accessSync(promptFile(directory, language, prompt), constants.R_OK);
      } catch {
        missing.push(`${language}/${prompt}.wav`);
      }
    }
  }
  return missing;
}
