import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemorySessionRecords } from '../../../src/adapters/store/memory-session-records.js';
import { RedisSessionRecords } from '../../../src/adapters/store/redis-session-records.js';
import type { Principal } from '../../../src/application/access/principal.js';
import type { SessionRecords } from '../../../src/application/access/session-records.js';
import { SessionStore } from '../../../src/delivery/http/session-store.js';
import { FakeTime } from '../../support/fake-time.js';
import { useTestRedis } from '../../support/redis-server.js';

const AGENT: Principal = {
  kind: 'user',
  subject: 'alice',
  displayName: 'Alice',
  roles: ['agent'],
  agentId: '1001',
  source: 'local',
};
const IDLE = 15 * 60_000;
const ABSOLUTE = 12 * 3_600_000;

const shared = useTestRedis();

async function redisRecords(): Promise<SessionRecords> {
  return new RedisSessionRecords(await shared.bridge());
}

/** Sessions on `records`, with time that moves only when the test says (starting now: Redis expires by the wall clock). */
function sessions(records: SessionRecords, time = new FakeTime(Date.now())) {
  return { time, store: new SessionStore({ idleMs: IDLE, absoluteMs: ABSOLUTE, clock: time, records }) };
}

const kinds = {
  memory: async () => new MemorySessionRecords({ now: () => Date.now() }),
  redis: redisRecords,
};

describe.each(['memory', 'redis'] as const)('sessions kept in %s', (kind) => {
  it('a session is found by its cookie, renewed by use, ended by sign-out', async () => {
    const { time, store } = sessions(await kinds[kind]());
    const { id, session } = store.create(AGENT);
    expect(store.get(id, { touch: false })).toEqual(session);
    time.advance(IDLE - 1_000);
    expect(store.get(id, { touch: true })?.lastSeenAt).toBe(time.now());
    time.advance(IDLE - 1_000); // alive: the touch restarted the idle clock
    expect(store.get(id, { touch: false })?.principal).toEqual(AGENT);
    const ended: string[] = [];
    store.watch(id, () => ended.push('signed-out'));
    store.destroy(id);
    expect(store.get(id, { touch: false })).toBeUndefined();
    expect(ended).toEqual(['signed-out']);
  });

  it('ends a session idle too long, and one past its absolute limit however active', async () => {
    const { time, store } = sessions(await kinds[kind]());
    const idle = store.create(AGENT);
    time.advance(IDLE);
    expect(store.get(idle.id, { touch: true })).toBeUndefined();
    const busy = store.create(AGENT);
    for (let spent = 0; spent < ABSOLUTE; spent += IDLE / 2) {
      expect(store.get(busy.id, { touch: true })).toBeDefined();
      time.advance(IDLE / 2);
    }
    expect(store.get(busy.id, { touch: true })).toBeUndefined();
  });
});

describe('sessions shared by two gateways (Redis)', () => {
  it('an agent signed in through A is signed in through B; signing out through B ends it for A', async () => {
    const a = sessions(await redisRecords());
    const b = sessions(await redisRecords(), a.time);
    const { id, session } = a.store.create(AGENT);
    expect(b.store.get(id, { touch: true })).toEqual({ ...session, lastSeenAt: a.time.now() });
    b.store.destroy(id);
    expect(a.store.get(id, { touch: false })).toBeUndefined();
  });

  it('keeps only the cookie hash, and lets Redis drop the session when it would end', async () => {
    const { store } = sessions(await redisRecords());
    const { id } = store.create(AGENT);
    const key = `tw:session:${createHash('sha256').update(id).digest('base64url')}`;
    const keys = shared.server().cli('--scan', '--pattern', 'tw:session:*').split('\n').filter(Boolean);
    expect(keys).toContain(key);
    const everything = keys.map((held) => `${held} ${shared.server().cli('GET', held)}`).join('\n');
    expect(everything).not.toContain(id);
    const ttl = Number(shared.server().cli('PTTL', key));
    expect(ttl).toBeGreaterThan(IDLE - 60_000);
    expect(ttl).toBeLessThanOrEqual(IDLE);
  });

  it('refuses a stored session of another shape (an added role claim) rather than trust it', async () => {
    const records = await redisRecords();
    shared.server().cli(
      'SET',
      'tw:session:forged',
      JSON.stringify({
        principal: { ...AGENT, roles: ['god'] },
        csrfToken: 'x',
        createdAt: 1,
        lastSeenAt: 1,
      }),
    );
    expect(() => records.get('forged')).toThrow(expect.objectContaining({ code: 'GW_ERR_STATE_STORE' }));
  });
});
