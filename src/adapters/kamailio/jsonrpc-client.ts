import { z } from 'zod';
import { GatewayError } from '../../errors.js';

export interface JsonRpcClientOptions {
  url: string;
  timeoutMs: number;
}

const responseSchema = z.object({
  jsonrpc: z.literal('2.0'),
  result: z.unknown().optional(),
  error: z.object({ code: z.number(), message: z.string() }).optional(),
});

/** Kamailio's JSON-RPC over HTTP (xhttp + jsonrpcs modules). */
export class JsonRpcClient {
  readonly #options: JsonRpcClientOptions;
  #nextId = 1;

  constructor(options: JsonRpcClientOptions) {
    this.#options = options;
  }

  async call(method: string, params: unknown[] = []): Promise<unknown> {
    const id = this.#nextId++;
    let response: Response;
    try {
      response = await fetch(this.#options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method, params, id }),
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
    } catch (cause) {
      throw new GatewayError('GW_ERR_KAMAILIO_RPC', `Kamailio RPC "${method}" could not be reached`, {
        retryable: true,
        cause,
      });
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new GatewayError(
        'GW_ERR_KAMAILIO_RPC',
        `Kamailio RPC "${method}" answered HTTP ${response.status} without JSON`,
      );
    }
    const parsed = responseSchema.safeParse(json);
    if (!parsed.success) {
      throw new GatewayError(
        'GW_ERR_KAMAILIO_RPC',
        `Kamailio RPC "${method}" answered with an unexpected shape`,
      );
    }
    if (parsed.data.error) {
      throw new GatewayError(
        'GW_ERR_KAMAILIO_RPC',
        `Kamailio RPC "${method}" failed with code ${parsed.data.error.code}: ${parsed.data.error.message.slice(0, 200)}`,
      );
    }
    return parsed.data.result;
  }
}
