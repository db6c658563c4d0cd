import type { z } from 'zod';

/**
 * Status callbacks, from the TONEWALL_WEBHOOK_* settings (src/config/registry/webhooks.ts);
 * undefined when no secret is set: callbacks are off.
 */
export interface WebhookSettings {
  /** `whsec_…`, the current first; two during a rotation: each callback is signed with both. */
  readonly secrets: readonly string[];
  /** TONEWALL_WEBHOOK_HOSTS as written (lowercase): names and addresses. */
  readonly hosts: readonly string[];
  /** The wait after each failed attempt, ms; after the last, the callback is given up. */
  readonly retryDelaysMs: readonly number[];
  readonly attemptTimeoutMs: number;
  /** TONEWALL_WEBHOOK_LOOPBACK: a loopback address the hosts name may be reached (development, tests). */
  readonly loopback: boolean;
}

interface WebhookEnvironment {
  readonly TONEWALL_WEBHOOK_SECRET?: string | undefined;
  readonly TONEWALL_WEBHOOK_PREVIOUS_SECRET?: string | undefined;
  readonly TONEWALL_WEBHOOK_HOSTS?: readonly string[] | undefined;
  readonly TONEWALL_WEBHOOK_RETRY_SCHEDULE: readonly number[];
  readonly TONEWALL_WEBHOOK_TIMEOUT_MS: number;
  readonly TONEWALL_WEBHOOK_LOOPBACK: 'on' | 'off';
}

/** Callbacks on need an allow-list: without one the API could aim the gateway anywhere. */
export function checkWebhookSettings(env: WebhookEnvironment, context: z.RefinementCtx): void {
  const issue = (path: string, message: string) =>
    context.addIssue({ code: 'custom', path: [path], message });
  if (env.TONEWALL_WEBHOOK_SECRET !== undefined && env.TONEWALL_WEBHOOK_HOSTS === undefined) {
    issue(
      'TONEWALL_WEBHOOK_HOSTS',
      'is required when TONEWALL_WEBHOOK_SECRET is set (the hosts status callbacks may go to)',
    );
  }
  if (env.TONEWALL_WEBHOOK_PREVIOUS_SECRET !== undefined) {
    if (env.TONEWALL_WEBHOOK_SECRET === undefined) {
      issue('TONEWALL_WEBHOOK_PREVIOUS_SECRET', 'needs TONEWALL_WEBHOOK_SECRET (the new secret)');
    } else if (env.TONEWALL_WEBHOOK_PREVIOUS_SECRET === env.TONEWALL_WEBHOOK_SECRET) {
      issue('TONEWALL_WEBHOOK_PREVIOUS_SECRET', 'is the same as TONEWALL_WEBHOOK_SECRET');
    }
  }
}

export function webhookSettings(env: WebhookEnvironment): WebhookSettings | undefined {
  if (env.TONEWALL_WEBHOOK_SECRET === undefined) return undefined;
  return {
    secrets: [env.TONEWALL_WEBHOOK_SECRET, env.TONEWALL_WEBHOOK_PREVIOUS_SECRET].filter(
      (secret) => secret !== undefined,
    ),
    hosts: (env.TONEWALL_WEBHOOK_HOSTS ?? []).map((host) => host.toLowerCase()),
    retryDelaysMs: env.TONEWALL_WEBHOOK_RETRY_SCHEDULE,
    attemptTimeoutMs: env.TONEWALL_WEBHOOK_TIMEOUT_MS,
    loopback: env.TONEWALL_WEBHOOK_LOOPBACK === 'on',
  };
}
