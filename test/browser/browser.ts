import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium; `./scripts/tonewall` installs it (apt-get install -y chromium). Missing = failure. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Screenshots go to .run/test/screenshots; with UPDATE_SCREENSHOTS=1 they replace the ones README
 * shows in docs/ui/ (so an ordinary test run leaves the tree as it was).
 */
export const SCREENSHOTS = new URL(
  process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/ui/' : '../../.run/test/screenshots/',
  import.meta.url,
).pathname;

/** A fresh headless Chromium with its own new profile (no cookies, no cache, no extensions). */
export async function launchBrowser(viewport = { width: 1120, height: 860 }): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install it with "apt-get install -y chromium" (the browser tests need it)`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'tonewall-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    deviceScaleFactor: 1,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // --user-data-dir: Playwright passes `profile`, the fresh directory above.
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** Everything the browser received: every response body and every server-sent event frame. */
export interface WireTap {
  readonly bodies: string[];
  readonly frames: string[];
  settle(): Promise<void>;
}

export async function tapWire(context: BrowserContext, page: Page): Promise<WireTap> {
  const bodies: string[] = [];
  const frames: string[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    pending.push(
      response.text().then(
        (text) => void bodies.push(`${response.url()}\n${text}`),
        () => undefined,
      ),
    );
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.eventSourceMessageReceived', (event) => void frames.push(event.data));
  return {
    bodies,
    frames,
    settle: async () => {
      await Promise.allSettled(pending);
    },
  };
}
