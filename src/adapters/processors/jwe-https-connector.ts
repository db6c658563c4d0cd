import { randomUUID, X509Certificate } from 'node:crypto';
import { CompactEncrypt } from 'jose';
import {
  isCharge,
  type LookupRequest,
  type LookupResult,
  type ProcessorConnector,
  type ProcessorResult,
  type TokeniseRequest,
} from '../../application/payments/processor-connector.js';
import { toMinorUnits } from '../../domain/payments/money.js';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { HttpsTransport, type MutualTlsMaterial } from './https-transport.js';
import { type CardPayload, JWE_ALGORITHM, JWE_ENCRYPTION, JWE_MEDIA_TYPE } from './jwe-wire.js';
import { keyIdOf } from './key-id.js';
import { mapLookupReply } from './map-lookup-reply.js';
import { classifyFailure, mapProcessorReply } from './map-processor-reply.js';
import { type ConnectorRetryOptions, tokeniseWithRetries } from './tokenise-with-retries.js';

export interface JweHttpsConnectorOptions extends ConnectorRetryOptions {
  /** Names the processor in logs and error messages. */
  readonly name: string;
  /** The processor's tokenise endpoint; must be https. */
  readonly url: string;
  /** The processor's encryption certificate, PEM (an RSA key of 2048 bits or more). */
  readonly encryptionCertificate: string;
  /** The `kid` to send; by default the JWK thumbprint of the certificate's key (see key-id.ts). */
  readonly keyId?: string;
  readonly tls: MutualTlsMaterial;
  readonly logger: Logger;
}

/**
 * The generic HTTPS/JWE connector: the card payload is encrypted to the processor's public key
 * (JWE compact, RSA-OAEP-256 + A256GCM, kid in the protected header) and POSTed over mutual TLS with
 * an Idempotency-Key header. The JWE is made once per tokenise call and the same bytes, under the
 * same key, are sent on every retry; its payload repeats the key and carries an issued-at time (from
 * the injected clock) and a fresh id, so the processor can refuse it under another key or too late.
 * `lookup` asks `GET {url}/{key}` what the processor did under a key, with one attempt.
 */
export class JweHttpsConnector implements ProcessorConnector {
  readonly name: string;
  readonly #options: JweHttpsConnectorOptions;
  readonly #url: URL;
  readonly #publicKey: X509Certificate['publicKey'];
  readonly #keyId: string;
  readonly #transport: HttpsTransport;
  readonly #logger: Logger;

  private constructor(
    options: JweHttpsConnectorOptions,
    url: URL,
    certificate: X509Certificate,
    keyId: string,
  ) {
    this.name = options.name;
    this.#options = options;
    this.#url = url;
    this.#publicKey = certificate.publicKey;
    this.#keyId = keyId;
    this.#transport = new HttpsTransport(options.tls);
    this.#logger = options.logger.child({ processor: options.name });
  }

  static async create(options: JweHttpsConnectorOptions): Promise<JweHttpsConnector> {
    const url = URL.canParse(options.url) ? new URL(options.url) : undefined;
    if (url?.protocol !== 'https:') {
      throw new GatewayError('GW_ERR_CONFIG', 'processor "url" must be an https URL');
    }
    const certificate = readEncryptionCertificate(options.encryptionCertificate, options.clock.now());
    const keyId = options.keyId ?? (await keyIdOf(certificate.publicKey));
    return new JweHttpsConnector(options, url, certificate, keyId);
  }

  /** The kid this connector encrypts to. */
  get keyId(): string {
    return this.#keyId;
  }

  async tokenise(request: TokeniseRequest): Promise<ProcessorResult> {
    if (isCharge(request)) toMinorUnits(request.chargeAmount ?? '', request.currency ?? 'usd');
    const jwe = await this.#encrypt(request);
    return tokeniseWithRetries(
      async (timeoutMs) => {
        const reply = await this.#transport.send(this.#url, {
          method: 'POST',
          headers: {
            'content-type': JWE_MEDIA_TYPE,
            accept: 'application/json',
            'idempotency-key': request.idempotencyKey,
          },
          body: jwe,
          timeoutMs,
        });
        if (!reply.ok) throw classifyFailure(reply.failure, this.name);
        return mapProcessorReply(reply, this.name);
      },
      { ...this.#options, logger: this.#logger.child({ paymentId: request.paymentId }) },
    );
  }

  async lookup(request: LookupRequest): Promise<LookupResult> {
    const url = new URL(this.#url);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(request.idempotencyKey)}`;
    const reply = await this.#transport.send(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      timeoutMs: this.#options.attemptTimeoutMs,
    });
    if (!reply.ok) {
      const outcome = classifyFailure(reply.failure, this.name);
      if (outcome instanceof GatewayError) throw outcome;
      return { found: 'result', result: outcome };
    }
    const found = mapLookupReply(reply, this.name);
    this.#logger.info(
      {
        paymentId: request.paymentId,
        found: found.found,
        ...(found.found === 'result' ? { outcome: found.result.outcome } : {}),
      },
      'processor lookup',
    );
    return found;
  }

  async close(): Promise<void> {
    this.#transport.close();
  }

  async #encrypt(request: TokeniseRequest): Promise<string> {
    const { card } = request;
    const payload: CardPayload = {
      paymentId: request.paymentId,
      idempotencyKey: request.idempotencyKey,
      iat: Math.floor(this.#options.clock.now() / 1000),
      jti: randomUUID(),
      card: {
        number: card.number,
        expMonth: card.expMonth,
        expYear: card.expYear,
        ...(card.securityCode === undefined ? {} : { securityCode: card.securityCode }),
        ...(card.postalCode === undefined ? {} : { postalCode: card.postalCode }),
      },
      ...(request.chargeAmount === undefined ? {} : { chargeAmount: request.chargeAmount }),
      ...(request.currency === undefined ? {} : { currency: request.currency }),
      ...(request.description === undefined ? {} : { description: request.description }),
      tokenType: request.tokenType,
    };
    const plaintext = new TextEncoder().encode(JSON.stringify(payload));
    try {
      return await new CompactEncrypt(plaintext)
        .setProtectedHeader({ alg: JWE_ALGORITHM, enc: JWE_ENCRYPTION, kid: this.#keyId, cty: 'json' })
        .encrypt(this.#publicKey);
    } finally {
      plaintext.fill(0);
    }
  }
}

function readEncryptionCertificate(pem: string, nowMs: number): X509Certificate {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch (error) {
    throw new GatewayError('GW_ERR_CONFIG', 'processor encryption certificate is not a PEM certificate', {
      cause: error,
    });
  }
  const key = certificate.publicKey;
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new GatewayError(
      'GW_ERR_CONFIG',
      'processor encryption certificate must hold an RSA key of 2048+ bits',
    );
  }
  if (Date.parse(certificate.validTo) < nowMs) {
    throw new GatewayError('GW_ERR_CONFIG', 'processor encryption certificate has expired');
  }
  return certificate;
}
