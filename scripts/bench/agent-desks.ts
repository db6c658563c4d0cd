/**
 * Agents' screens for a few of a load's calls: one headless Chromium (Debian's, through playwright-core)
 * with one page per desk, each in its own browser context signed in as the agent the call is assigned
 * to (`bench-agent-<n>`, agents.csv in load-run.ts), showing the real desk (the gateway's UI at `/`).
 * The bench makes those users in the bench gateway's users file as `tonewall users add` would, each
 * with an authenticator: the gateway keeps one-time codes required (its default), and the desk signs in
 * with password and a TOTP code. In each page a MutationObserver watches the digit counts the desk shows
 * (`data-digits` of the payment's steps) and, in the animation frame after each change, notes the
 * count and `performance.timeOrigin + performance.now()` (wall clock ms, tcpdump's clock). Only RFC
 * 4733 layouts get a desk (their keys end with a packet on the wire: key-end-packets.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { UsersFile } from '../../src/adapters/users/users-file.js';
import { hashPassword } from '../../src/application/access/password-hash.js';
import { CHROMIUM } from '../../test/browser/browser.js';
import type { Layout } from '../../test/support/media/layout.js';
import { BENCH_RUN_DIR } from './bench-services.js';
import { layoutIndexOf } from './customer-scenario.js';
import type { DeskRender } from './desk-pairing.js';
import { childrenOf } from './proc.js';

/** At most this many desks a load (one browser, a page each: the machine is shared). */
export const MAX_DESKS = 5;

/** The scrypt cost of the desks' passwords: the tests' (a sign-in under load costs the gateway little). */
const BENCH_SCRYPT = { ln: 12, r: 8, p: 1 } as const;

/** Whether a layout's keys each end with an RFC 4733 end packet the customer sends (and no tone under it). */
export function keysEndOnTheWire(layout: Layout): boolean {
  return layout.events && !layout.inBandUnderEvents && !(layout.loseEnd && layout.endCopies === 1);
}

/** The first `max` of the probed calls whose layout keys RFC 4733 events only. */
export function deskCallNumbers(
  probed: readonly number[],
  mix: readonly Layout[],
  max = MAX_DESKS,
): number[] {
  return probed
    .filter((n) => {
      const layout = mix[layoutIndexOf(n, mix.length)];
      return layout !== undefined && keysEndOnTheWire(layout);
    })
    .slice(0, max);
}

/**
 * Runs in each desk page before its scripts (a string: the page's code, not the bench's): notes every
 * change of the digit count the desk draws, in the animation frame after it.
 */
const WATCH_DIGIT_COUNTS = `(() => {
  const renders = [];
  window.__benchDeskRenders = renders;
  let last = -1;
  const changed = () => {
    const steps = document.querySelectorAll('#steps [data-digits]');
    if (steps.length === 0) return;
    let digits = 0;
    for (const step of steps) digits += Number(step.getAttribute('data-digits')) || 0;
    if (digits === last) return;
    last = digits;
    requestAnimationFrame(() => {
      renders.push({ digits, atMs: performance.timeOrigin + performance.now() });
    });
  };
  addEventListener('DOMContentLoaded', () => {
    new MutationObserver(changed).observe(document.documentElement, {
      subtree: true, childList: true, attributes: true, attributeFilter: ['data-digits'],
    });
    changed();
  });
})();`;

interface Desk {
  readonly sipCallId: string;
  readonly page: Page;
}

/** A signed-in page waiting for its call: the agent it was signed in as. */
interface Prepared {
  username: string;
  readonly context: BrowserContext;
  readonly page: Page;
}

export class AgentDesks {
  readonly #browser: Browser;
  readonly #baseUrl: string;
  readonly #users: UsersFile;
  readonly #prepared = new Map<number, Prepared>();
  readonly #opening: Promise<Desk | undefined>[] = [];
  readonly #problems: string[];
  #writes: Promise<unknown> = Promise.resolve();

  private constructor(browser: Browser, baseUrl: string, problems: string[]) {
    this.#browser = browser;
    this.#baseUrl = baseUrl;
    this.#users = new UsersFile(AgentDesks.usersFile);
    this.#problems = problems;
  }

  /** The bench gateway's users file (its default, TONEWALL_USERS_FILE unset: `.run/bench/users.json`). */
  static readonly usersFile = join(BENCH_RUN_DIR, 'users.json');

  /**
   * Before the load: the browser, and for each of `callNumbers` a page signed in as the agent SIPp
   * will most likely give that call (`bench-agent-<n>`: its agents answer in the order calls arrive)
   * with the desk loaded, so that once the call's payment runs the desk needs only a reload.
   */
  static async launch(options: { baseUrl: string; callNumbers: readonly number[]; problems: string[] }) {
    rmSync(AgentDesks.usersFile, { force: true });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
    });
    const desks = new AgentDesks(browser, options.baseUrl, options.problems);
    await desks.#prepare(options.callNumbers).catch(async (error: unknown) => {
      await desks.close();
      throw error;
    });
    return desks;
  }

  async #prepare(callNumbers: readonly number[]): Promise<void> {
    const browser = this.#browser;
    await Promise.all(
      callNumbers.map(async (n) => {
        const context = await browser.newContext({ viewport: { width: 1120, height: 860 } });
        await context.addInitScript({ content: WATCH_DIGIT_COUNTS });
        const username = `bench-agent-${n}`;
        await this.#signIn(context, username);
        const page = await context.newPage();
        await page.goto(this.#baseUrl);
        await page.waitForSelector('[data-testid="who-name"]', { timeout: 15_000 });
        this.#prepared.set(n, { username, context, page });
      }),
    );
  }

  /** Makes `username` an agent of its own name in the users file (with an authenticator) and signs `context` in. */
  async #signIn(context: BrowserContext, username: string): Promise<void> {
    const password = randomBytes(18).toString('base64url');
    const secret = new Secret({ size: 20 }).base32;
    const write = this.#writes.then(async () =>
      this.#users.upsert({
        username,
        displayName: `Bench ${username}`,
        roles: ['agent'],
        agentId: username,
        password: await hashPassword(password, BENCH_SCRYPT),
        totpSecret: secret,
      }),
    );
    this.#writes = write.catch(() => undefined);
    await write;
    const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
    const signIn = await context.request.post(new URL('/v1/session', this.#baseUrl).href, {
      data: { username, password, code: totp.generate() },
    });
    if (signIn.status() !== 201) throw new Error(`sign-in as ${username}: HTTP ${signIn.status()}`);
  }

  /**
   * A call the gateway listed: if a desk waits for it, show the call's payment there once the bench
   * has started it (`paymentStarted`; the desk picks a running payment up as it loads), signed in
   * again first if SIPp gave the call another agent. In the background: the load goes on.
   */
  offer(
    n: number,
    call: { readonly sipCallId: string; readonly agent: string },
    paymentStarted: () => boolean,
  ) {
    const desk = this.#prepared.get(n);
    if (!desk) return;
    this.#opening.push(
      this.#open(desk, call, paymentStarted).catch((error: Error) => {
        this.#problems.push(`desk for ${call.sipCallId}: ${error.message.split('\n')[0]}`);
        return undefined;
      }),
    );
  }

  async #open(
    desk: Prepared,
    call: { readonly sipCallId: string; readonly agent: string },
    paymentStarted: () => boolean,
  ): Promise<Desk> {
    if (desk.username !== call.agent) {
      await this.#signIn(desk.context, call.agent);
      desk.username = call.agent;
    }
    for (let waited = 0; !paymentStarted(); waited += 10) {
      if (waited > 15_000) throw new Error('the payment did not start in 15 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await desk.page.reload();
    await desk.page.waitForSelector('#steps [data-digits]', { timeout: 10_000 });
    return { sipCallId: call.sipCallId, page: desk.page };
  }

  /** Each desk's digit-count renders, by SIP Call-ID; then closes the browser and removes the users. */
  async collect(): Promise<{ sipCallId: string; renders: DeskRender[] }[]> {
    const desks = (await Promise.all(this.#opening)).filter((desk): desk is Desk => desk !== undefined);
    try {
      return await Promise.all(
        desks.map(async (desk) => ({
          sipCallId: desk.sipCallId,
          renders: (await desk.page.evaluate('window.__benchDeskRenders ?? []')) as DeskRender[],
        })),
      );
    } finally {
      await this.close();
    }
  }

  /** The browser's processes, for the CPU figures: the bench's `chromium` child and everything below it. */
  pids(): number[] {
    const comm = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        return '';
      }
    };
    const found: number[] = [];
    const below = (pid: number) => {
      found.push(pid);
      for (const child of childrenOf(pid)) below(child);
    };
    for (const pid of childrenOf(process.pid)) if (comm(pid).startsWith('chrom')) below(pid);
    return found;
  }

  async close(): Promise<void> {
    await this.#browser.close().catch(() => undefined);
    rmSync(AgentDesks.usersFile, { force: true });
  }
}
