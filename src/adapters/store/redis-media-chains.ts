import { z } from 'zod';
import type { ChainGateway, MediaChainDirectory } from '../../application/calls/media-chain-directory.js';
import type { RedisBridge } from './redis-bridge.js';

/** The hash of every announced node: field `udp:HOST:PORT`, value the gateway's JSON. */
const KEY = 'tw:media-nodes';

const gatewaySchema = z.object({ instance: z.string().max(128), url: z.string().max(2048) }).strict();

/**
 * Which gateway captures each media node's calls, in the pair's Redis (docs/operations.md, "The
 * pair"): each gateway writes its nodes at start (`HSET`, the last start wins); a refusal reads the
 * call's node. No expiry: a gateway that is down stays named, as no other can capture its chain.
 */
export class RedisMediaChains implements MediaChainDirectory {
  readonly #bridge: RedisBridge;

  constructor(bridge: RedisBridge) {
    this.#bridge = bridge;
  }

  announce(nodes: readonly string[], gateway: ChainGateway): void {
    const value = JSON.stringify({ instance: gateway.instance, url: gateway.url });
    this.#bridge.call([['HSET', KEY, ...nodes.flatMap((node) => [node, value])]]);
  }

  gatewayOf(node: string): ChainGateway | undefined {
    const [value] = this.#bridge.call([['HGET', KEY, node]]);
    if (typeof value !== 'string') return undefined;
    try {
      const parsed = gatewaySchema.safeParse(JSON.parse(value));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
