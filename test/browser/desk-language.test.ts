import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerCall, startTestGateway, type TestGateway } from '../contract/auth/support.js';
import { launchBrowser, screenshot } from './browser.js';

/**
 * The desk in the agent's own language (issue 21): the language menu in the top bar, kept in the
 * browser, the texts from the message catalogue (GET /ui/texts/<language>.json). Headless Chromium
 * against the real HTTP app; the customer's language is the payment's and is not touched here.
 */
let gateway: TestGateway;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  gateway = await startTestGateway();
  browser = await launchBrowser();
  page = browser.pages()[0] ?? (await browser.newPage());
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

describe('the desk in the agent’s language', () => {
  it('the agent picks Cymraeg: role, payment status and field names in Welsh; then Español', async () => {
    await page.goto(gateway.base);
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill('alice-password-1');
    await page.keyboard.press('Enter');
    await page.getByTestId('who-name').waitFor();
    expect(await page.getByTestId('who-role').textContent()).toBe('Agent');

    await page.getByTestId('desk-language').selectOption('cy-GB');
    await page.waitForSelector('html[lang="cy-GB"]', { state: 'attached' });
    await page.getByTestId('who-name').waitFor();
    expect(await page.getByTestId('who-role').textContent()).toBe('Asiant');
    expect(await page.getByTestId('desk-language').inputValue()).toBe('cy-GB');

    answerCall(gateway.registry, 'sip-desk-language', 'agent-a');
    await page.getByTestId('call-details').waitFor();
    await page.getByTestId('amount').fill('12.00');
    await page.getByTestId('amount').press('Enter');
    await page.getByTestId('payment-panel').waitFor();
    await page.waitForSelector('[data-testid="payment-status"]:has-text("Ar y gweill")');
    expect(await page.getByTestId('payment-panel').textContent()).toContain('Rhif y cerdyn');
    await screenshot(page, 'desk-cy-GB');

    await page.getByTestId('desk-language').selectOption('es-ES');
    await page.waitForSelector('html[lang="es-ES"]', { state: 'attached' });
    await page.getByTestId('who-name').waitFor();
    expect(await page.getByTestId('who-role').textContent()).toBe('Agente');
  });
});
