import { mediaNodeKey, onChain } from '../../domain/media/media-node.js';
import { GatewayError, isGatewayError } from '../../errors.js';
import type { Call } from './call-registry.js';
import type { ChainGateway, MediaChainDirectory } from './media-chain-directory.js';

export interface ChainOwnershipOptions {
  /** This gateway's media nodes as Kamailio names them (TONEWALL_MEDIA_NODES). */
  readonly nodes: readonly string[];
  readonly self: ChainGateway;
  readonly directory: MediaChainDirectory;
}

/**
 * Whether a call's payment may start on this gateway: only when its media runs through this gateway's
 * chain (Kamailio's `media_node`), whose DTMF reports this gateway reads. Another chain's call is
 * refused with GW_ERR_OTHER_GATEWAY naming the gateway to use: a refusal rather than a forward, since a
 * capture cannot move and the refused client loses nothing (docs/operations.md, "The pair"). A call
 * without a node (a Kamailio that does not send it) is taken, as on a single box.
 */
export class ChainOwnership {
  readonly #options: ChainOwnershipOptions;

  constructor(options: ChainOwnershipOptions) {
    this.#options = options;
  }

  /** Announces this gateway's nodes to the others (at start). */
  announce(): void {
    this.#options.directory.announce(this.#options.nodes.map(mediaNodeKey), this.#options.self);
  }

  /** Throws GW_ERR_OTHER_GATEWAY when the call's media runs through another gateway's chain. */
  check(call: Pick<Call, 'mediaNode'>): void {
    if (onChain(call.mediaNode, this.#options.nodes) !== false || call.mediaNode === undefined) return;
    const owner = this.#ownerOf(call.mediaNode);
    const where = owner
      ? `gateway ${owner.instance} (${owner.url})`
      : 'the gateway of its media chain (none has announced that chain)';
    throw new GatewayError(
      'GW_ERR_OTHER_GATEWAY',
      `the call's media runs through another gateway's chain: start its payment on ${where}`,
    );
  }

  #ownerOf(node: string): ChainGateway | undefined {
    try {
      const owner = this.#options.directory.gatewayOf(mediaNodeKey(node));
      return owner?.instance === this.#options.self.instance ? undefined : owner;
    } catch (error) {
      // the refusal stands without the name: the call is still not this gateway's to capture
      if (isGatewayError(error) && error.code === 'GW_ERR_STATE_STORE') return undefined;
      throw error;
    }
  }
}
