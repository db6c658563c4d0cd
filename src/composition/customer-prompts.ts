import { dirname, join } from 'node:path';
import type { NgClient } from '../adapters/rtpengine/ng-client.js';
import { missingPromptFiles } from '../adapters/rtpengine/prompt-files.js';
import { RtpenginePromptPlayer } from '../adapters/rtpengine/prompt-player.js';
import { SpokenText } from '../adapters/rtpengine/spoken-text.js';
import { noPrompts, type PromptPlayer } from '../application/payments/payment-ports.js';
import type { Config } from '../config/config.js';
import type { HealthProbe } from '../delivery/http/health-routes.js';
import type { Logger } from '../logger.js';
import { type TimedNg, timedPrompts } from './media-engines.js';

/**
 * The customer's prompts: rtpengine plays them from TONEWALL_PROMPTS_DIR (none when prompts are
 * off). The files (every language's, prompt-files.ts) are checked once at start, with a warning
 * naming the missing ones, and `/healthz` gets a `prompts` component that checks them on each call:
 * `degraded` while any is missing (the payment goes on; that prompt is not heard). The amount read
 * back before a charge is spoken at run time (spoken-text.ts) in the run's folder.
 */
export function customerPrompts(
  config: Config,
  ng: NgClient,
  timed: TimedNg,
  logger: Logger,
): { player: PromptPlayer; health: Record<string, HealthProbe> } {
  const { directory, defaultLanguage, readBack } = config.prompts;
  if (directory === undefined) return { player: noPrompts, health: {} };
  const describe = (missing: readonly string[]) =>
    `${missing.length} prompt file(s) missing: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}`;
  const atStart = missingPromptFiles(directory);
  if (atStart.length > 0) {
    logger.warn(
      { directory, missing: atStart },
      `${describe(atStart)}; make them with scripts/make-prompts.ts`,
    );
  }
  const log = logger.child({ part: 'prompts' });
  // the amount read back is spoken during the call, into the run's folder (beside payments.jsonl)
  const spoken = new SpokenText({ directory: join(dirname(config.paymentStatus.file), 'spoken') });
  return {
    player: timedPrompts(
      new RtpenginePromptPlayer({
        ng,
        directory,
        defaultLanguage,
        logger: log,
        spoken,
        readBackByDefault: readBack,
      }),
      timed,
    ),
    health: {
      prompts: () => {
        const missing = missingPromptFiles(directory);
        return missing.length === 0 ? { status: 'up' } : { status: 'degraded', detail: describe(missing) };
      },
    },
  };
}
