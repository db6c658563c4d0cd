/** A gateway as the others name it when a call is not theirs to capture. */
export interface ChainGateway {
  /** Its TONEWALL_INSTANCE_NAME. */
  readonly instance: string;
  /** Where agents and integrations reach its API (TONEWALL_GATEWAY_URL). */
  readonly url: string;
}

/**
 * Which gateway captures the calls of each media node (docs/operations.md, "The pair"): each gateway
 * reads the DTMF reports of one chain, so a payment must start on the gateway of its call's chain.
 * Shared by a pair in Redis (adapters/store/redis-media-chains.ts); a single box has none. No card data.
 */
export interface MediaChainDirectory {
  /** Records `gateway` as the one of `nodes` (at start; a later start replaces it). */
  announce(nodes: readonly string[], gateway: ChainGateway): void;
  /** The gateway that announced `node`; undefined when none has. Throws GW_ERR_STATE_STORE when unreadable. */
  gatewayOf(node: string): ChainGateway | undefined;
}
