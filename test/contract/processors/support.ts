import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DEV_KEY_FILES, generateDevKeys } from '../../../scripts/keys.js';
import type {
  ProcessorConnector,
  TokeniseRequest,
} from '../../../src/application/payments/processor-connector.js';
import { GatewayError } from '../../../src/errors.js';

/** The sandbox's test cards (docs/processor-protocol.md section 10): public test numbers only. */
export const SANDBOX_CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficient: '4000000000009995',
  processingError: '4000000000000119',
  noAnswer: '4000000000000101',
  otherValid: '5555555555554444',
} as const;

/** A freshly generated development key set in a temporary directory, read into memory. */
export interface DevKeySet {
  readonly dir: string;
  readonly ca: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly encryptionCerts: string[];
  readonly encryptionKeys: string[];
  remove(): void;
}

export function makeDevKeys(encryptionKeys = 2): DevKeySet {
  const dir = mkdtempSync(join(tmpdir(), 'tonewall-keys-'));
  generateDevKeys({ dir, encryptionKeys });
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const numbers = Array.from({ length: encryptionKeys }, (_, i) => i + 1);
  return {
    dir,
    ca: read(DEV_KEY_FILES.caCert),
    clientCert: read(DEV_KEY_FILES.clientCert),
    clientKey: read(DEV_KEY_FILES.clientKey),
    serverCert: read(DEV_KEY_FILES.serverCert),
    serverKey: read(DEV_KEY_FILES.serverKey),
    encryptionCerts: numbers.map((n) => read(DEV_KEY_FILES.encryptionCert(n))),
    encryptionKeys: numbers.map((n) => read(DEV_KEY_FILES.encryptionKey(n))),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A GET over (optionally mutual) TLS; resolves the status and body or rejects with the socket error. */
export async function httpsGet(
  url: string,
  tls: { ca: string; cert?: string; key?: string },
): Promise<{ status: number; body: string }> {
  const { status, body } = await httpsSend(url, tls, { method: 'GET' });
  return { status, body };
}

/** One request over (optionally mutual) TLS, without keep-alive; rejects with the socket error. */
export function httpsSend(
  url: string,
  tls: { ca: string; cert?: string; key?: string },
  message: { method: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: message.method, headers: message.headers ?? {}, ...tls, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(message.body);
  });
}

/** Every card number in `cards` found in any of `texts`, with where. Expect it to be empty. */
export function cardNumbersIn(texts: readonly string[], cards: readonly string[]): string[] {
  const found: string[] = [];
  for (const [index, text] of texts.entries()) {
    for (const card of cards)
      if (text.includes(card)) found.push(`text #${index} holds a card ending ${card.slice(-4)}`);
    if (/\d{13,19}/.test(text)) found.push(`text #${index} holds a 13–19 digit run`);
  }
  return found;
}

/**
 * Tokenises and expects a GatewayError; the result or error (message and cause) goes into `seen`
 * so the test can scan it for card numbers later.
 */
export async function tokeniseFailure(
  client: ProcessorConnector,
  req: TokeniseRequest,
  seen: string[],
): Promise<GatewayError> {
  try {
    seen.push(JSON.stringify(await client.tokenise(req)));
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    const gatewayError = error as GatewayError;
    seen.push(gatewayError.message, String(gatewayError.cause ?? ''));
    return gatewayError;
  }
  throw new Error('expected tokenise to fail');
}

/** A charge of 10.00 USD for `number` with a fresh payment id and idempotency key. */
export function tokeniseRequest(number: string, extra: Partial<TokeniseRequest> = {}): TokeniseRequest {
  return {
    paymentId: `pay_${randomUUID()}`,
    idempotencyKey: randomUUID(),
    card: {
      number,
      expMonth: 12,
      expYear: new Date().getUTCFullYear() + 2,
      securityCode: '123',
      postalCode: '94103',
    },
    chargeAmount: '10.00',
    currency: 'usd',
    tokenType: 'one-time',
    ...extra,
  };
}
