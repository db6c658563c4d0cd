import { readFileSync } from 'node:fs';
import { GatewayError } from '../errors.js';

/**
 * A secret setting may come from a file instead of the environment: `TONEWALL_WEBHOOK_SECRET_FILE=
 * /run/secrets/webhook-secret` (Docker and compose secrets, systemd credentials), so that the value is
 * in no process environment, `docker inspect` or compose file. The file's content, less one trailing
 * newline, is the value; an empty file leaves the setting unset. Setting both the variable and its
 * `_FILE` is refused, as is a file that cannot be read (named by variable, never by content).
 */
export function withSecretFiles(
  environment: Readonly<Record<string, string | undefined>>,
  secretNames: readonly string[],
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = { ...environment };
  const problems: string[] = [];
  for (const name of secretNames) {
    const fileVariable = `${name}_FILE`;
    const path = environment[fileVariable];
    delete result[fileVariable];
    if (path === undefined || path === '') continue;
    if (environment[name] !== undefined && environment[name] !== '') {
      problems.push(`${name}: set it or ${fileVariable}, not both`);
      continue;
    }
    try {
      result[name] = read(path).replace(/\r?\n$/, '');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`${fileVariable}: the file cannot be read (${code})`);
    }
  }
  if (problems.length > 0) {
    throw new GatewayError('GW_ERR_CONFIG', `invalid configuration: ${problems.join('; ')}`);
  }
  return result;
}
