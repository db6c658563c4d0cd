import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): `webhook-signature` holds a
 * `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` per secret, space-separated. During a
 * rotation the gateway signs with both secrets (TONEWALL_WEBHOOK_SECRET and
 * TONEWALL_WEBHOOK_PREVIOUS_SECRET), so a receiver holding either verifies (docs/webhooks.md).
 */
export class WebhookSigner {
  readonly #keys: readonly Webhook[];

  /** `secrets`: `whsec_<base64>`, the current one first. */
  constructor(secrets: readonly string[]) {
    this.#keys = secrets.map((secret) => new Webhook(secret));
  }

  /** The three headers of one attempt; `id` is the delivery's, the same on every attempt. */
  headers(id: string, timestampMs: number, body: string): Record<string, string> {
    const at = new Date(timestampMs);
    return {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestampMs / 1000)),
      'webhook-signature': this.#keys.map((key) => key.sign(id, at, body)).join(' '),
    };
  }
}
