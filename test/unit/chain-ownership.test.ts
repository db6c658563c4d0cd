import { describe, expect, it } from 'vitest';
import { ChainOwnership } from '../../src/application/calls/chain-ownership.js';
import type { ChainGateway, MediaChainDirectory } from '../../src/application/calls/media-chain-directory.js';
import { GatewayError } from '../../src/errors.js';

/** The pair's directory as Redis holds it, in memory. */
class MemoryChains implements MediaChainDirectory {
  readonly nodes = new Map<string, ChainGateway>();
  down = false;

  announce(nodes: readonly string[], gateway: ChainGateway): void {
    for (const node of nodes) this.nodes.set(node, gateway);
  }

  gatewayOf(node: string): ChainGateway | undefined {
    if (this.down) throw new GatewayError('GW_ERR_STATE_STORE', 'Redis did not answer');
    return this.nodes.get(node);
  }
}

const A = { instance: 'gw-a', url: 'http://127.0.0.1:8080' };
const B = { instance: 'gw-b', url: 'http://127.0.0.1:8090' };
const CHAIN_A = ['udp:127.0.0.1:2223', 'udp:127.0.0.1:2225', 'udp:127.0.0.1:2227'];
const CHAIN_B = ['udp:127.0.0.1:2233', 'udp:127.0.0.1:2235', 'UDP:127.0.0.1:2237'];

function pair() {
  const directory = new MemoryChains();
  const a = new ChainOwnership({ nodes: CHAIN_A, self: A, directory });
  const b = new ChainOwnership({ nodes: CHAIN_B, self: B, directory });
  a.announce();
  b.announce();
  return { directory, a, b };
}

function refusal(run: () => void): GatewayError | undefined {
  try {
    run();
  } catch (error) {
    return error as GatewayError;
  }
  return undefined;
}

describe("ChainOwnership (a payment starts on the gateway of its call's media chain)", () => {
  it("takes its own chain's calls, and calls that name no node (a single box's Kamailio)", () => {
    const { a, b } = pair();
    expect(() => a.check({ mediaNode: 'udp:127.0.0.1:2227' })).not.toThrow();
    expect(() => a.check({ mediaNode: '127.0.0.1:2223' })).not.toThrow();
    expect(() => b.check({ mediaNode: 'udp:127.0.0.1:2237' })).not.toThrow();
    expect(() => a.check({})).not.toThrow();
    expect(() => b.check({})).not.toThrow();
  });

  it("refuses the other chain's call with GW_ERR_OTHER_GATEWAY (421) naming the gateway to use", () => {
    const { a, b } = pair();
    const onB = refusal(() => a.check({ mediaNode: 'udp:127.0.0.1:2237' }));
    expect(onB?.code).toBe('GW_ERR_OTHER_GATEWAY');
    expect(onB?.message).toContain('gateway gw-b (http://127.0.0.1:8090)');
    const onA = refusal(() => b.check({ mediaNode: 'udp:127.0.0.1:2225' }));
    expect(onA?.code).toBe('GW_ERR_OTHER_GATEWAY');
    expect(onA?.message).toContain('gateway gw-a (http://127.0.0.1:8080)');
    expect(refusal(() => b.check({ mediaNode: 'udp:127.0.0.1:2223' }))?.message).toContain('gw-a');
  });

  it('refuses still, without a name, when no gateway announced the node or the store cannot say', () => {
    const { directory, a } = pair();
    const unknown = refusal(() => a.check({ mediaNode: 'udp:10.9.9.9:2223' }));
    expect(unknown?.code).toBe('GW_ERR_OTHER_GATEWAY');
    expect(unknown?.message).toContain('none has announced that chain');
    directory.down = true;
    const storeDown = refusal(() => a.check({ mediaNode: 'udp:127.0.0.1:2237' }));
    expect(storeDown?.code).toBe('GW_ERR_OTHER_GATEWAY');
    expect(storeDown?.message).not.toContain('gw-b');
    // its own chain needs no store
    expect(() => a.check({ mediaNode: 'udp:127.0.0.1:2225' })).not.toThrow();
  });

  it('never names itself: a node it announced once but no longer has reads as unannounced', () => {
    const directory = new MemoryChains();
    new ChainOwnership({ nodes: ['udp:127.0.0.1:2299'], self: A, directory }).announce();
    const now = new ChainOwnership({ nodes: CHAIN_A, self: A, directory });
    expect(refusal(() => now.check({ mediaNode: 'udp:127.0.0.1:2299' }))?.message).toContain(
      'none has announced',
    );
  });
});
