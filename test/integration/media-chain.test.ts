/**
 * The media path is the chain Kamailio is configured for (sip-config/kamailio.cfg, docs/media.md
 * "Three hops"): customer ⇄ edge ⇄ mask ⇄ mute ⇄ agent, on the initial INVITE and after a re-INVITE.
 * Each rtpengine is asked (NG `query`) where it sends each party's media: a hop that was skipped, or
 * offered the wrong SDP, shows as a neighbour outside the next hop's port range. The agent's SIPp
 * shows which address it was given (the mute hop's), on both INVITEs.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NgClient } from '../../src/adapters/rtpengine/ng-client.js';
import type { NgValue } from '../../src/adapters/rtpengine/ng-codec.js';
import { systemClock } from '../../src/application/clock.js';
import { CallHarness } from '../support/call-harness.js';
import { rfc4733Pcap } from '../support/dtmf-pcap.js';
import { tracedMessages } from '../support/sipp.js';

/** The suite's stack: RTP 30000–30999 in thirds (scripts/lib/stack.sh), NG ports 2223/2225/2227. */
const HOPS = [
  { name: 'edge', ngPort: 2223, ports: [30000, 30332] },
  { name: 'mask', ngPort: 2225, ports: [30333, 30665] },
  { name: 'mute', ngPort: 2227, ports: [30666, 30999] },
] as const;

let harness: CallHarness;
const clients: NgClient[] = [];

beforeAll(async () => {
  harness = await CallHarness.create({ name: 'media-chain' });
  for (const hop of HOPS) {
    clients.push(
      await NgClient.open({
        host: '127.0.0.1',
        port: hop.ngPort,
        timeoutMs: 1000,
        retries: 1,
        clock: systemClock,
        logger: pino({ level: 'silent' }),
      }),
    );
  }
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await harness?.cleanup();
});

interface Leg {
  /** The port this hop receives the party's media on. */
  readonly local: number;
  /** Where this hop sends that party's media (the neighbour on that side). */
  readonly remote: number;
}

function record(value: NgValue | undefined): Record<string, NgValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)
    ? (value as Record<string, NgValue>)
    : {};
}

/** One hop's view of one party (by SIP tag): its first RTP stream's local port and remote endpoint. */
async function legOf(client: NgClient, callId: string, tag: string): Promise<Leg> {
  const reply = await client.request({ command: 'query', 'call-id': callId });
  const party = record(record(reply.tags)[tag]);
  const media = (party.medias as NgValue[] | undefined)?.[0];
  const stream = (record(media).streams as NgValue[] | undefined)?.[0];
  const endpoint = record(record(stream).endpoint);
  return { local: Number(record(stream)['local port']), remote: Number(endpoint.port) };
}

const within = (port: number, [low, high]: readonly [number, number]) => port >= low && port <= high;

describe('the media chain', () => {
  it('customer ⇄ edge ⇄ mask ⇄ mute ⇄ agent, before and after a re-INVITE', async () => {
    const call = await harness.placeCall({
      customer: {
        telephoneEvent: true,
        scenario: 'customer-reinvite.xml',
        pcap: rfc4733Pcap('', { leadInMs: 500, tailMs: 500 }),
        holdMs: 3000,
      },
    });
    await call.agent.sink?.waitForPackets(1, 5000);
    const { sipCallId, fromTag } = call.customer;
    const customer = await Promise.all(clients.map((client) => legOf(client, sipCallId, fromTag)));
    const [edge, mask, mute] = customer as [Leg, Leg, Leg];
    // on the customer's side of each hop: the customer itself, then the previous hop
    expect(within(edge.remote, HOPS[0].ports), 'the edge sends to the customer, not to a hop').toBe(false);
    expect(within(mask.remote, HOPS[0].ports), 'the mask hop faces the edge').toBe(true);
    expect(within(mute.remote, HOPS[1].ports), 'the mute hop faces the mask hop').toBe(true);
    expect(within(edge.local, HOPS[0].ports) && within(mask.local, HOPS[1].ports)).toBe(true);
    expect(within(mute.local, HOPS[2].ports)).toBe(true);
    await harness.finish(call);
    // the agent was given the mute hop's address, on the INVITE and on the re-INVITE
    const invites = tracedMessages(call.agent.sipp.messageFile ?? '').filter((m) =>
      m.firstLine.startsWith('INVITE '),
    );
    expect(invites).toHaveLength(2);
    for (const invite of invites) {
      expect(within(invite.audioPort ?? 0, HOPS[2].ports), `agent's SDP port ${invite.audioPort}`).toBe(true);
    }
  });
});
