import { Secret, TOTP } from 'otpauth';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, USERS } from '../contract/auth/support.js';
import { launchBrowser, screenshot } from './browser.js';

/**
 * Issue 16, item 2, in Chromium: with one-time codes required (the default), a user without an
 * authenticator sets one up from the desk at their first sign-in, and gives a code every time after.
 */
let gateway: TestGateway;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  gateway = await startTestGateway({
    users: [
      ...USERS,
      { username: 'finn', password: 'finn-password-1', roles: ['agent'], agentId: 'agent-f' },
    ],
    env: { TONEWALL_MFA: 'required' },
  });
  context = await launchBrowser();
  page = context.pages()[0] ?? (await context.newPage());
});
afterAll(async () => {
  await context?.close();
  await gateway?.close();
});

function codeFor(secret: string, stepsAhead = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

async function signInWithPassword(): Promise<void> {
  await page.getByLabel('User name').fill('finn');
  await page.getByLabel('Password').fill('finn-password-1');
  await page.getByTestId('sign-in-submit').click();
}

describe('authenticator enrolment on the desk', () => {
  it('offers a key after the password, signs in with its code, and asks for a code the next time', async () => {
    await page.goto(gateway.base);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signInWithPassword();
    await page.getByTestId('enrol').waitFor();
    const secret = ((await page.getByTestId('enrol-secret').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await page.getByTestId('enrol-link').getAttribute('href')).toContain(`secret=${secret}`);
    await screenshot(page, 'mfa-enrol');
    await page.getByTestId('code').fill(codeFor(secret));
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('who-name').waitFor();
    expect(await page.getByTestId('mfa-off').isVisible()).toBe(false);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByTestId('enrol').isVisible()).toBe(false);
    await signInWithPassword();
    await expect
      .poll(async () => page.getByTestId('sign-in-error').textContent())
      .toContain('Enter the 6-digit code');
    expect(await page.getByTestId('enrol').isVisible()).toBe(false);
    await page.getByTestId('code').fill(codeFor(secret, 1));
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('who-name').waitFor();
  });
});
