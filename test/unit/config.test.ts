import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';

describe('loadConfig', () => {
  it('gives loopback defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.rtpengine).toMatchObject({ ngHost: '127.0.0.1', ngPort: 2223 });
    expect(config.dtmf).toEqual({ host: '127.0.0.1', port: 9999, allowedSources: ['127.0.0.1'] });
    expect(config.kamailio).toMatchObject({ evapiHost: '127.0.0.1', evapiPort: 8448 });
    expect(config.apiKey).toBeUndefined();
  });

  it('reads and coerces every setting', () => {
    const config = loadConfig({
      TONEWALL_HTTP_PORT: '9090',
      TONEWALL_DTMF_ALLOWED_SOURCES: '127.0.0.1, ::1',
      TONEWALL_API_KEY: 'k'.repeat(20),
      TONEWALL_NG_RETRIES: '0',
      PATH: '/usr/bin',
    });
    expect(config.http.port).toBe(9090);
    expect(config.dtmf.allowedSources).toEqual(['127.0.0.1', '::1']);
    expect(config.apiKey).toBe('k'.repeat(20));
    expect(config.rtpengine.ngRetries).toBe(0);
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.dtmf.allowedSources)).toBe(true);
  });

  it.each([
    ['TONEWALL_HTTP_PORT', 'eighty'],
    ['TONEWALL_HTTP_PORT', '70000'],
    ['TONEWALL_NG_TIMEOUT_MS', '1'],
    ['TONEWALL_NG_RETRIES', '2.5'],
    ['TONEWALL_LOG_LEVEL', 'loud'],
    ['TONEWALL_KAMAILIO_RPC_URL', 'ftp://127.0.0.1/RPC'],
    ['TONEWALL_API_KEY', 'short'],
  ])('rejects %s=%s naming the setting but not the value', (name, value) => {
    let message = '';
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      expect((error as { code?: string }).code).toBe('GW_ERR_CONFIG');
      message = (error as Error).message;
    }
    expect(message).toContain(name);
    expect(message).not.toContain(value);
  });

  it('rejects an unknown TONEWALL_ setting (a typo)', () => {
    expect(() => loadConfig({ TONEWALL_HTTP_PROT: '1' })).toThrow(/TONEWALL_HTTP_PROT/);
  });
});
