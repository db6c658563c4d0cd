import { ACCESS_SETTINGS } from './registry/access.js';
import { AUDIT_SETTINGS } from './registry/audit.js';
import { CAPACITY_SETTINGS } from './registry/capacity.js';
import { GATEWAY_SETTINGS } from './registry/gateway.js';
import { KAMAILIO_SETTINGS } from './registry/kamailio.js';
import { MASKING_SETTINGS } from './registry/masking.js';
import { PROCESSOR_SETTINGS } from './registry/processor.js';
import { RTPENGINE_SETTINGS } from './registry/rtpengine.js';
import { SANDBOX_SETTINGS } from './registry/sandbox.js';
import type { Setting } from './registry/setting.js';
import { STATE_STORE_SETTINGS } from './registry/state-store.js';
import { WEBHOOK_SETTINGS } from './registry/webhooks.js';

/**
 * Every TONEWALL_* setting, each declared once (src/config/registry/*.ts), in the README's sections.
 * The gateway's strict schema (config.ts), the README's tables (scripts/settings-doc.ts) and
 * `./scripts/tonewall config` come from here; test/unit/settings-registry.test.ts fails when the
 * README, scripts/, compose.yaml and this registry disagree.
 */
export const SETTING_SECTIONS = [
  { title: 'Gateway', settings: GATEWAY_SETTINGS },
  { title: 'Shared state (several gateways)', settings: STATE_STORE_SETTINGS },
  { title: 'Back-pressure', settings: CAPACITY_SETTINGS },
  { title: 'Status callbacks (webhooks)', settings: WEBHOOK_SETTINGS },
  { title: 'Kamailio (call path and call events)', settings: KAMAILIO_SETTINGS },
  { title: 'rtpengine (every hop)', settings: RTPENGINE_SETTINGS },
  { title: 'Masking and DTMF reports', settings: MASKING_SETTINGS },
  { title: 'Processor', settings: PROCESSOR_SETTINGS },
  { title: 'Access (API and agent desktop)', settings: ACCESS_SETTINGS },
  { title: 'Audit log', settings: AUDIT_SETTINGS },
  { title: 'Sandbox processor', settings: SANDBOX_SETTINGS },
] as const;

export const SETTINGS = {
  ...GATEWAY_SETTINGS,
  ...STATE_STORE_SETTINGS,
  ...CAPACITY_SETTINGS,
  ...WEBHOOK_SETTINGS,
  ...KAMAILIO_SETTINGS,
  ...RTPENGINE_SETTINGS,
  ...MASKING_SETTINGS,
  ...PROCESSOR_SETTINGS,
  ...ACCESS_SETTINGS,
  ...AUDIT_SETTINGS,
  ...SANDBOX_SETTINGS,
} as const;

export type SettingName = keyof typeof SETTINGS;

/** Every setting with its name, in the README's order. */
export function declaredSettings(): Array<Setting & { readonly name: string }> {
  return SETTING_SECTIONS.flatMap(({ settings }) =>
    Object.entries(settings).map(([name, declared]: [string, Setting]) => ({ name, ...declared })),
  );
}
