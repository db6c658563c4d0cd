import { declaredSettings } from './settings-registry.js';

/** What `./scripts/tonewall config` prints for a setting; never a secret's value, nor a value that does not parse. */
export interface EffectiveSetting {
  readonly name: string;
  readonly value: string;
  readonly from: 'environment' | 'default' | 'unset';
}

export const SECRET_MASK = '********';

/**
 * Every declared setting as `environment` makes it: its value there, else its default (or how the
 * default is made), else unset. An empty value counts as unset, as it does for the gateway. Secrets
 * print as a mask; a value that does not parse as `(invalid)`, since a key pasted into the wrong
 * setting must not be printed either. (Unknown TONEWALL_* names: loadConfig names them.)
 */
export function effectiveSettings(
  environment: Readonly<Record<string, string | undefined>>,
): EffectiveSetting[] {
  return declaredSettings().map(({ name, schema, secret, default: fixed, defaultText }): EffectiveSetting => {
    const given = environment[name];
    if (given !== undefined && given !== '') {
      const value = secret ? SECRET_MASK : schema.safeParse(given).success ? given : '(invalid)';
      return { name, value, from: 'environment' };
    }
    if (fixed !== undefined) return { name, value: fixed === '' ? '(empty)' : fixed, from: 'default' };
    if (defaultText !== undefined)
      return { name, value: `(${defaultText.replaceAll('`', '')})`, from: 'default' };
    return { name, value: '', from: 'unset' };
  });
}

/** The settings as aligned lines: name, value, where it comes from. */
export function formatEffectiveSettings(settings: readonly EffectiveSetting[]): string {
  const nameWidth = Math.max(...settings.map(({ name }) => name.length));
  const valueWidth = Math.min(48, Math.max(...settings.map(({ value }) => value.length)));
  return settings
    .map(({ name, value, from }) =>
      `${name.padEnd(nameWidth)}  ${value.padEnd(valueWidth)}  ${from}`.trimEnd(),
    )
    .join('\n');
}
