import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';

describe('the shared state store setting (issue 19)', () => {
  it('is embedded by default, whatever else is set', () => {
    expect(loadConfig({}).stateStore).toEqual({ kind: 'embedded' });
    expect(loadConfig({ TONEWALL_REDIS_URL: 'redis://127.0.0.1:6379' }).stateStore).toEqual({
      kind: 'embedded',
    });
  });

  it('asks for the URL when redis is chosen, naming the setting and not the value', () => {
    expect(() => loadConfig({ TONEWALL_STATE_STORE: 'redis' })).toThrow(
      /TONEWALL_REDIS_URL: is required when TONEWALL_STATE_STORE=redis/,
    );
  });

  it.each([
    'redis://127.0.0.1:6379',
    'redis://127.0.0.9:7000/2',
    'redis://[::1]:6379',
    'redis://localhost:6379',
    'rediss://redis.example.net:6380/0',
    'rediss://user:s3cret@10.1.2.3:6380',
    'unix:///run/redis/redis.sock',
  ])('takes %s', (url) => {
    expect(
      loadConfig({ TONEWALL_STATE_STORE: 'redis', TONEWALL_REDIS_URL: url, TONEWALL_INSTANCE_NAME: 'gw-a' })
        .stateStore,
    ).toEqual({
      kind: 'redis',
      url,
      timeoutMs: 500,
      instance: 'gw-a',
      mediaNodes: ['udp:127.0.0.1:2223', 'udp:127.0.0.1:2225', 'udp:127.0.0.1:2227'],
      gatewayUrl: 'http://127.0.0.1:8080',
    });
  });

  it.each([
    'redis://10.1.2.3:6379',
    'redis://user:s3cretpass@redis.example.net:6379',
    'http://127.0.0.1:6379',
    'unix://x',
  ])('refuses %s without echoing it', (url) => {
    let message = '';
    try {
      loadConfig({ TONEWALL_STATE_STORE: 'redis', TONEWALL_REDIS_URL: url });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/TONEWALL_REDIS_URL/);
    expect(message).not.toContain(url);
    expect(message).not.toContain('s3cret');
  });

  it('names the instance after the host and HTTP port by default', () => {
    const settings = loadConfig({
      TONEWALL_STATE_STORE: 'redis',
      TONEWALL_REDIS_URL: 'redis://127.0.0.1:6379',
      TONEWALL_HTTP_PORT: '8099',
    }).stateStore;
    expect(settings.kind === 'redis' && settings.instance).toMatch(/:8099$/);
  });

  it("takes the media chain's nodes and the gateway's URL, or derives them from the NG and HTTP settings", () => {
    const redis = { TONEWALL_STATE_STORE: 'redis', TONEWALL_REDIS_URL: 'redis://127.0.0.1:6379' };
    const derived = loadConfig({
      ...redis,
      TONEWALL_NG_ADDR: '::1',
      TONEWALL_NG_PORT: '2233',
      TONEWALL_MASK_NG_PORT: '2235',
      TONEWALL_MUTE_NG_PORT: '2237',
      TONEWALL_HTTP_HOST: '::1',
      TONEWALL_HTTP_PORT: '8090',
    }).stateStore;
    expect(derived).toMatchObject({
      mediaNodes: ['udp:[::1]:2233', 'udp:[::1]:2235', 'udp:[::1]:2237'],
      gatewayUrl: 'http://[::1]:8090',
    });
    const given = loadConfig({
      ...redis,
      TONEWALL_MEDIA_NODES: 'udp:10.0.0.2:2223, 10.0.0.2:2225',
      TONEWALL_GATEWAY_URL: 'https://gw-b.example.net',
    }).stateStore;
    expect(given).toMatchObject({
      mediaNodes: ['udp:10.0.0.2:2223', '10.0.0.2:2225'],
      gatewayUrl: 'https://gw-b.example.net',
    });
  });
});
