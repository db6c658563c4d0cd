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
    ).toEqual({ kind: 'redis', url, timeoutMs: 500, instance: 'gw-a' });
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
});
