import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../src/application/calls/call-registry.js';
import type { KeypadKey } from '../../src/domain/capture/keypad.js';
import { GatewayError } from '../../src/errors.js';
import { answerCall, INTEGRATION_KEY, startTestGateway, type TestGateway } from '../contract/auth/support.js';
import { launchBrowser, screenshot, tapWire, type WireTap } from './browser.js';

/**
 * The agent desktop in headless Chromium against the real HTTP app, PaymentService and CallRegistry
 * (processor double). The customer's keys go in through payments.onCustomerKey, as the DTMF router
 * feeds them; the end-to-end variant on the SIP stack keys them with SIPp.
 */
const BAD_CARD = '4242424242424241'; // fails Luhn
const CARD = '4242424242424242';
const EXPIRY = '1230';
const CVV = '737';
const KEYED = [CARD, BAD_CARD, CARD.slice(0, 12), EXPIRY, CVV];

let gateway: TestGateway;
let alice: BrowserContext;
let bob: BrowserContext;
let page: Page;
let wire: WireTap;
let aliceCall: Call;
let paymentId = '';

beforeAll(async () => {
  gateway = await startTestGateway();
  alice = await launchBrowser();
  page = alice.pages()[0] ?? (await alice.newPage());
  wire = await tapWire(alice, page);
});
afterAll(async () => {
  await alice?.close();
  await bob?.close();
  await gateway?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function key(call: Call, keys: string, gapMs = 40): Promise<void> {
  for (const k of keys) {
    gateway.payments.onCustomerKey(call, k as KeypadKey);
    await sleep(gapMs);
  }
}

async function signInByKeyboard(target: Page, username: string, password: string): Promise<void> {
  await target.goto(gateway.base);
  await target.getByRole('heading', { name: 'Sign in' }).waitFor();
  await target.getByLabel('User name').focus();
  await target.keyboard.type(username);
  await target.keyboard.press('Tab');
  await target.keyboard.type(password);
  await target.keyboard.press('Enter');
  await target.getByTestId('who-name').waitFor();
}

/** Ids, times and tokens are random; strip them so a chance digit run in them is not mistaken for a leak. */
function scrub(text: string): string {
  return (
    text
      .replace(/\b(PK|CA)[0-9a-f]{32}\b/g, '')
      // the gateway's own address: its random port may hold a keyed string (port 33737 held 737)
      .replace(/(127\.0\.0\.1:|"port":)\d+/g, '$1')
      // request ids (X-Request-Id, and in the log lines): random, so now and then they hold a keyed string
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '')
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '')
      .replace(/"csrfToken":"[A-Za-z0-9_-]+"/g, '')
  );
}

describe('agent desktop in Chromium', () => {
  it('signs in, shows the call, takes a payment the customer keys, and shows progress and the outcome', async () => {
    await page.goto(gateway.base);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'sign-in');

    // A wrong password first: a calm error, no sign-in.
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill('not-the-password');
    await page.keyboard.press('Enter');
    await expectText(page, 'sign-in-error', 'do not match');

    await signInByKeyboard(page, 'alice', 'alice-password-1');
    await expectText(page, 'who-name', 'Alice Agent');
    await page.getByTestId('no-call').waitFor();
    await screenshot(page, 'waiting-for-call');

    aliceCall = answerCall(gateway.registry, 'sip-browser-alice', 'agent-a');
    await page.getByTestId('call-details').waitFor();
    await expectText(page, 'call-customer', '447700900123');
    await expectText(page, 'announcer', 'A call is connected');
    // this gateway asks no one-time code (the test support's TONEWALL_MFA=off): the desk says so
    expect(await page.getByTestId('mfa-off').isVisible()).toBe(true);
    // only the currencies agents may charge in (TONEWALL_AGENT_CURRENCIES, default GBP)
    expect(await page.getByTestId('currency').locator('option').allTextContents()).toEqual(['GBP']);

    // Keyboard only: Tab to the amount, type, Tab on through currency and reference, Enter.
    await page.getByTestId('amount').focus();
    await page.keyboard.type('49.99');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Order ABC-N');
    await screenshot(page, 'call-take-payment');
    await page.keyboard.press('Enter');
    await page.getByTestId('payment-panel').waitFor();
    await expectText(page, 'payment-status', 'In progress');
    await expectText(page, 'payment-summary', '£49.99');

    // The customer keys a card number that fails Luhn: a cross, and the field is asked for again.
    await key(aliceCall, `${BAD_CARD}#`);
    await page.waitForSelector('[data-testid="step-payment-card-number"][data-retry="true"]');
    await expectText(page, 'payment-problem', 'not valid');
    await screenshot(page, 'payment-retry');

    // Then the real number, digit by digit: dots fill, the brand appears.
    await key(aliceCall, CARD.slice(0, 12));
    await page.waitForSelector('[data-testid="step-payment-card-number"][data-digits="12"]');
    await expectText(page, 'dots-payment-card-number', '•••• •••• ••••');
    await expectText(page, 'brand', 'Visa');
    await expectText(page, 'announcer', 'Card number');
    await screenshot(page, 'payment-progress');

    await key(aliceCall, `${CARD.slice(12)}#`);
    await page.waitForSelector('[data-testid="step-payment-card-number"][data-verdict="valid"]');
    await expectText(page, 'dots-payment-card-number', '4242');
    await key(aliceCall, EXPIRY);
    await page.waitForSelector('[data-testid="step-expiration-date"][data-verdict="valid"]');
    await key(aliceCall, CVV.slice(0, 2));
    await page.waitForSelector('[data-testid="step-security-code"][data-digits="2"]');
    await screenshot(page, 'payment-security-code');
    await key(aliceCall, CVV.slice(2));

    await page.getByTestId('outcome').waitFor();
    await expectText(page, 'outcome-title', 'Payment approved');
    await expectText(page, 'outcome-card', 'Visa •••• 4242');
    await expectText(page, 'outcome-confirmation', 'CONF1');
    // people see the outcome, brand, last 4 and confirmation only: no expiry, no processor token,
    // on the page or anywhere on the wire (responses and SSE frames)
    expect(await page.getByTestId('outcome-expiry').count()).toBe(0);
    expect(await page.getByTestId('outcome-token').count()).toBe(0);
    const received = [...wire.bodies, ...wire.frames].join('\n');
    expect(received).toContain('CONF1');
    expect(received).not.toContain('tok_1');
    expect(received).not.toMatch(/"exp(Month|Year)"/);
    await expectText(page, 'payment-status', 'Approved');
    await expectText(page, 'announcer', 'Payment approved');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('outcome-title');
    await screenshot(page, 'payment-approved');
    paymentId = (await gateway.payments.get(String(await latestPaymentId()))).id;
  }, 90_000);

  it('let no keyed digit string reach the DOM, the page source, any SSE frame or any network response', async () => {
    await wire.settle();
    expect(wire.frames.length).toBeGreaterThan(10);
    const source = await (await fetch(gateway.base)).text();
    const texts = [
      await page.content(),
      String(await page.evaluate('document.documentElement.outerHTML')),
      String(await page.evaluate('document.body.innerText')),
      source,
      ...wire.bodies,
      ...wire.frames,
      gateway.logs.text(),
    ].map(scrub);
    const everything = texts.join('\n');
    for (const digits of KEYED)
      expect(everything, `keyed string of ${digits.length} digits`).not.toContain(digits);
    expect(everything).not.toMatch(/\d{13,19}/);
    // The allowed: last four of the valid card, after validation only.
    expect(everything).toContain('4242');
  });

  it("keeps agent B away from agent A's call, by UI and by API", async () => {
    bob = await launchBrowser();
    const bobPage = bob.pages()[0] ?? (await bob.newPage());
    await signInByKeyboard(bobPage, 'bob', 'bob-password-1');
    await bobPage.getByTestId('no-call').waitFor();
    await sleep(2500); // a poll or two: alice's call never shows
    expect(await bobPage.getByTestId('no-call').isVisible()).toBe(true);
    expect(await bobPage.getByTestId('call-details').isVisible()).toBe(false);
    await screenshot(bobPage, 'agent-b-no-access');

    const statuses = await bobPage.evaluate(
      async ({ callId, paymentId }) => {
        const session = (await (await fetch('/v1/session')).json()) as { csrfToken: string };
        const headers = { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken };
        const calls = (await (await fetch('/v1/calls')).json()) as { calls: unknown[] };
        const create = await fetch(`/v1/calls/${callId}/payments`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ idempotencyKey: 'bob-tries' }),
        });
        const read = await fetch(`/v1/payments/${paymentId}`);
        const events = await fetch(`/v1/payments/${paymentId}/events`);
        const cancel = await fetch(`/v1/payments/${paymentId}`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ status: 'cancel' }),
        });
        return {
          calls: calls.calls.length,
          create: create.status,
          read: read.status,
          events: events.status,
          cancel: cancel.status,
        };
      },
      { callId: aliceCall.id, paymentId },
    );
    expect(statuses).toEqual({ calls: 0, create: 403, read: 403, events: 403, cancel: 403 });
  }, 60_000);

  it('shows a supervisor every payment, status only', async () => {
    const bobPage = bob.pages()[0] as Page;
    await bobPage.getByTestId('sign-out').click();
    await bobPage.getByRole('heading', { name: 'Sign in' }).waitFor();
    const bobCall = answerCall(gateway.registry, 'sip-browser-bob', 'agent-b');
    const created = await fetch(`${gateway.base}/v1/calls/${bobCall.id}/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTEGRATION_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: 'bob-1', chargeAmount: '12.00', currency: 'GBP' }),
    });
    expect(created.status).toBe(201);
    await key(bobCall, '5555');
    await signInByKeyboard(bobPage, 'sam', 'sam-password-1');
    await bobPage.getByTestId('board-row').first().waitFor();
    const rows = await bobPage.getByTestId('board-row').allInnerTexts();
    expect(rows.join('\n')).toContain('agent-b');
    expect(rows.join('\n')).not.toContain('5555');
    await bobPage.getByTestId('board-finished').check();
    await expect.poll(() => bobPage.getByTestId('board-row').count()).toBeGreaterThanOrEqual(2);
    await screenshot(bobPage, 'supervisor-board');
    expect(await bobPage.getByTestId('take-payment').isVisible()).toBe(false);
  }, 60_000);

  it('is usable at 360 px: asks again, cancels by keyboard, and reads a decline', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.getByTestId('new-payment').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('take-payment').waitFor();
    await page.getByTestId('amount').fill('15.00');
    await page.getByTestId('reference').fill('Top-up');
    await startPayment(page);
    await key(aliceCall, '55555');
    await page.waitForSelector('[data-testid="step-payment-card-number"][data-digits="5"]');
    await screenshot(page, 'mobile-progress');

    // Ask again for the card number (keyboard), then cancel (keyboard).
    await key(aliceCall, '*');
    await page.getByTestId('ask-again-expiration-date').focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="step-expiration-date"][data-state="capturing"]');
    await page.getByTestId('ask-again-payment-card-number').focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="step-payment-card-number"][data-state="capturing"]');
    await page.getByTestId('cancel-payment').focus();
    await page.keyboard.press('Enter');
    await expectText(page, 'outcome-title', 'Payment cancelled');
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'mobile-cancelled');

    gateway.connector.answer = async () => ({
      outcome: 'declined',
      declineCode: 'insufficient_funds',
      reason: 'The card has insufficient funds.',
    });
    await page.getByTestId('new-payment').click();
    await page.getByTestId('amount').fill('250.00');
    await startPayment(page);
    await key(aliceCall, `${CARD}#${EXPIRY}${CVV}`, 10);
    await expectText(page, 'outcome-title', 'Card declined');
    await expectText(page, 'outcome-reason', 'The card has insufficient funds.');
    await screenshot(page, 'mobile-declined');

    // the processor times out: the charge may have been made. The desk says so, offers no "Done"
    // (the agent must not take it again), and changes when reconciliation settles it
    gateway.connector.answer = () =>
      Promise.reject(new GatewayError('GW_ERR_PROCESSOR_TIMEOUT', 'late', { retryable: true }));
    await page.getByTestId('new-payment').click();
    await page.getByTestId('amount').fill('30.00');
    await startPayment(page);
    await key(aliceCall, `${CARD}#${EXPIRY}${CVV}`, 10);
    await expectText(page, 'outcome-title', 'Checking with the processor');
    expect(await page.getByTestId('new-payment').isVisible()).toBe(false);
    expect(await page.getByTestId('payment-status').textContent()).toBe('Checking');
    await screenshot(page, 'mobile-unknown');
    const unknownId = await latestPaymentId();
    expect(
      gateway.payments.reconcile(unknownId, {
        outcome: 'success',
        token: 'tok_late',
        confirmationCode: 'LATE42',
      }),
    ).toBe(true);
    await expectText(page, 'outcome-title', 'Payment approved');
    await expectText(page, 'outcome-confirmation', 'LATE42');
    expect(await page.getByTestId('new-payment').isVisible()).toBe(true);

    // again in doubt, and the processor has no such request: only now "no money was taken"
    await page.getByTestId('new-payment').click();
    await page.getByTestId('amount').fill('31.00');
    await startPayment(page);
    await key(aliceCall, `${CARD}#${EXPIRY}${CVV}`, 10);
    await expectText(page, 'outcome-title', 'Checking with the processor');
    expect(await page.getByTestId('outcome').textContent()).not.toMatch(/no money was taken/i);
    expect(gateway.payments.reconcile(await latestPaymentId(), { outcome: 'not-charged' })).toBe(true);
    await expectText(page, 'outcome-title', 'Payment not completed');
    await expectText(page, 'outcome', 'did not take the payment. No money was taken');
    expect(await page.getByTestId('new-payment').isVisible()).toBe(true);
  }, 60_000);
});

/** Submits the payment form and waits for the panel; a refusal fails with the form's error text. */
async function startPayment(target: Page): Promise<void> {
  const panel = target.getByTestId('payment-panel');
  const error = target.getByTestId('payment-form-error');
  await target.getByTestId('start-payment').click();
  await expect
    .poll(async () => (await panel.isVisible()) || (await error.isVisible()), { timeout: 10_000 })
    .toBe(true);
  expect((await error.isVisible()) ? await error.textContent() : '').toBe('');
}

/** Waits until the element with `testId` holds `text` (hidden live regions included). */
async function expectText(target: Page, testId: string, text: string): Promise<void> {
  await target.getByTestId(testId).filter({ hasText: text }).waitFor({ state: 'attached', timeout: 10_000 });
}

async function latestPaymentId(): Promise<string> {
  const response = await fetch(`${gateway.base}/v1/payments`, {
    headers: { authorization: `Bearer ${INTEGRATION_KEY}` },
  });
  const { payments } = (await response.json()) as { payments: Array<{ id: string }> };
  return payments[0]?.id ?? '';
}
