import { describe, expect, it } from 'vitest';
import { mediaNodeKey, onChain } from '../../../src/domain/media/media-node.js';

const chainA = ['udp:127.0.0.1:2223', 'udp:127.0.0.1:2225', 'udp:127.0.0.1:2227'];

describe('media nodes (which chain carries a call)', () => {
  it.each([
    ['udp:127.0.0.1:2237', 'udp:127.0.0.1:2237'],
    ['UDP:Rtpengine-B.example:2223', 'udp:rtpengine-b.example:2223'],
    ['127.0.0.1:2223', 'udp:127.0.0.1:2223'],
    [' udp6:[::1]:2223 ', 'udp6:[::1]:2223'],
  ])('reads %s as %s', (node, key) => {
    expect(mediaNodeKey(node)).toBe(key);
  });

  it.each([
    ['udp:127.0.0.1:2227', true],
    ['127.0.0.1:2223', true],
    ['udp:127.0.0.1:2237', false],
    ['udp:127.0.0.2:2223', false],
    [undefined, undefined],
    ['', undefined],
  ] as const)('%s is on chain A: %s', (node, expected) => {
    expect(onChain(node, chainA)).toBe(expected);
  });
});
