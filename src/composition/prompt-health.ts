import { missingPromptFiles } from '../adapters/rtpengine/prompt-files.js';
import type { Config } from '../config/config.js';
import type { HealthProbe } from '../delivery/http/health-routes.js';
import type { Logger } from '../logger.js';

/**
 * Checks the prompt files (every language's, prompt-files.ts) once at start, with a warning naming
 * the missing ones, and gives `/healthz` a `prompts` component that checks them again on each call:
 * `degraded` while any is missing (the payment goes on; that prompt is not heard). Undefined when
 * prompts are off.
 */
export function promptHealth(config: Config, logger: Logger): Record<string, HealthProbe> {
  const { directory } = config.prompts;
  if (directory === undefined) return {};
  const describe = (missing: readonly string[]) =>
    `${missing.length} prompt file(s) missing: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}`;
  const atStart = missingPromptFiles(directory);
  if (atStart.length > 0) {
    logger.warn(
      { directory, missing: atStart },
      `${describe(atStart)}; make them with scripts/make-prompts.ts`,
    );
  }
  return {
    prompts: () => {
      const missing = missingPromptFiles(directory);
      return missing.length === 0 ? { status: 'up' } : { status: 'degraded', detail: describe(missing) };
    },
  };
}
