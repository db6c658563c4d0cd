import type { Reader, Setting } from './registry/setting.js';
import { SETTING_SECTIONS } from './settings-registry.js';

/** The README's settings tables sit between these two lines; scripts/settings-doc.ts writes them. */
export const SETTINGS_BEGIN =
  '<!-- settings:begin — generated from src/config/registry/ by `npx tsx scripts/settings-doc.ts`; edit there -->';
export const SETTINGS_END = '<!-- settings:end -->';

const READERS: Readonly<Record<Reader, string>> = {
  gateway: 'the gateway',
  stack: '`scripts/lib/stack.sh` (Kamailio, rtpengine; also the `media` image)',
  scripts: 'the other scripts (`tonewall`, `scripts/lib/services.sh`, `scripts/*.ts`)',
  sandbox: 'the sandbox processor',
  signer: 'the audit signer (`src/signer`)',
};

const cell = (text: string) => text.replaceAll('|', '\\|');

/** What the README shows as a setting's default. */
export function defaultCell(declared: Setting): string {
  if (declared.default === '') return 'empty';
  if (declared.default !== undefined) return `\`${declared.default}\``;
  return declared.defaultText ?? '—';
}

function row(name: string, declared: Setting): string {
  const what = declared.secret ? `**secret**: ${declared.doc}` : declared.doc;
  return `| \`${name}\` | ${cell(defaultCell(declared))} | ${declared.readBy.join(', ')} | ${cell(what)} |`;
}

/** The README's settings tables, one a section, with the markers around them. */
export function settingsMarkdown(): string {
  const legend = Object.entries(READERS)
    .map(([reader, who]) => `\`${reader}\` ${who}`)
    .join('; ');
  const sections = SETTING_SECTIONS.map(({ title, settings }) =>
    [
      `### ${title}`,
      '',
      '| setting | default | read by | what |',
      '|---|---|---|---|',
      ...Object.entries(settings).map(([name, declared]: [string, Setting]) => row(name, declared)),
    ].join('\n'),
  );
  const intro = [
    `Read by: ${legend}. A **secret** is printed as a mask by \`tonewall config\`, never its value.`,
    'The gateway also takes a secret from a file: `<NAME>_FILE=/run/secrets/…` (compose secrets,',
    'systemd credentials; one trailing newline dropped, an empty file leaves it unset; not both).',
  ].join(' ');
  return [SETTINGS_BEGIN, intro, ...sections, SETTINGS_END].join('\n\n');
}

/** `readme` with the text between the markers replaced by `settingsMarkdown()`; undefined without the markers. */
export function withSettingsMarkdown(readme: string): string | undefined {
  const begin = readme.indexOf(SETTINGS_BEGIN);
  const end = readme.indexOf(SETTINGS_END);
  if (begin < 0 || end < begin) return undefined;
  return readme.slice(0, begin) + settingsMarkdown() + readme.slice(end + SETTINGS_END.length);
}
