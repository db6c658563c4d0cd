import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeypadKey } from '../../src/domain/capture/keypad.js';
import { answerCall, asIntegration, startTestGateway, type TestGateway } from '../contract/auth/support.js';
import { launchBrowser, screenshot, tapWire, type WireTap } from './browser.js';

/**
 * Orders on the agent desk (issue 16, item 4): an integration (the CRM) puts an order on the agent's
 * call while the desk is open; the desk lists it without a reload, the agent takes the payment from it
 * in one click — amount, currency, reference and token type from the order, beyond what the agent may
 * charge alone — and the order then shows as paid, with nothing to start again. Headless Chromium
 * against the real HTTP app; the customer's keys go in through payments.onCustomerKey.
 */
const CARD = '4242424242424242';

let gateway: TestGateway;
let browser: BrowserContext;
let page: Page;
let wire: WireTap;

beforeAll(async () => {
  gateway = await startTestGateway();
  browser = await launchBrowser();
  page = browser.pages()[0] ?? (await browser.newPage());
  wire = await tapWire(browser, page);
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

async function expectText(testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).filter({ hasText: text }).waitFor({ state: 'attached', timeout: 10_000 });
}

describe('orders on the agent desk', () => {
  it('lists the order the CRM made, takes its payment in one click, then shows it paid', async () => {
    await page.goto(gateway.base);
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill('alice-password-1');
    await page.keyboard.press('Enter');
    await page.getByTestId('who-name').waitFor();

    const call = answerCall(gateway.registry, 'sip-desk-order', 'agent-a');
    await page.getByTestId('call-details').waitFor();
    // no order yet: the orders card stays hidden, the form is there
    expect(await page.getByTestId('orders').isVisible()).toBe(false);
    await page.getByTestId('take-payment').waitFor();

    // the CRM puts an order on the call; the open desk shows it at its next poll (no reload)
    await page.evaluate(() => Object.assign(globalThis, { stayed: true })); // gone if the page reloads
    const made = await asIntegration(gateway.base, 'POST', `/v1/calls/${call.id}/orders`, {
      chargeAmount: '1200.00',
      currency: 'EUR',
      tokenType: 'reusable',
      description: 'Invoice 4711',
    });
    expect(made.status).toBe(201);
    const { order } = (await made.json()) as { order: { id: string } };
    const item = page.locator(`[data-testid="order"][data-order-id="${order.id}"]`);
    await item.waitFor();
    expect(await item.getByTestId('order-what').textContent()).toBe('Invoice 4711');
    expect(await item.getByTestId('order-amount').textContent()).toBe('€1,200.00');
    expect(await item.getByTestId('order-state').textContent()).toBe('Open');
    await expectText('announcer', 'A new order is on the call: Invoice 4711');
    await screenshot(page, 'agent-orders');

    // one click: the payment runs on the order's terms (1,200.00 is above the agent's own limit)
    const take = item.getByRole('button', { name: 'Take payment for Invoice 4711, €1,200.00' });
    await take.click();
    await page.getByTestId('payment-panel').waitFor();
    await expectText('payment-summary', '€1,200.00 · Invoice 4711');
    expect(await page.getByTestId('orders').isVisible()).toBe(false);
    for (const key of `${CARD}#1230737`) {
      gateway.payments.onCustomerKey(call, key as KeypadKey);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await expectText('outcome-title', 'Payment approved');
    expect(gateway.connector.requests.at(-1)).toMatchObject({
      chargeAmount: '1200.00',
      currency: 'eur',
      description: 'Invoice 4711',
      tokenType: 'reusable',
    });

    // done: the order is paid, shown so, and offers nothing to start
    await page.getByTestId('new-payment').click();
    await page.locator(`[data-testid="order"][data-order-id="${order.id}"][data-state="paid"]`).waitFor();
    expect(await item.getByTestId('order-state').textContent()).toBe('Paid');
    expect(await item.getByTestId('take-order').count()).toBe(0);
    await screenshot(page, 'agent-order-paid');

    // the page was never reloaded; what the browser got of the order holds no callback or maker
    await wire.settle();
    expect(await page.evaluate(() => (globalThis as { stayed?: boolean }).stayed)).toBe(true);
    const orderBodies = wire.bodies.filter((body) => body.includes('/orders\n'));
    expect(orderBodies.length).toBeGreaterThan(1);
    expect(orderBodies.join('\n')).not.toMatch(/statusCallback|createdBy/);
    expect([...wire.bodies, ...wire.frames].join('\n')).not.toContain(CARD);
  }, 60_000);
});
