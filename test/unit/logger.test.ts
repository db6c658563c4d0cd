import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import { maskDigitRuns } from '../../src/logger.js';
import { captureLogs } from '../support/log-capture.js';

describe('logger', () => {
  it('masks card-like digit runs in foreign error messages, stacks and causes', () => {
    const { logger, text } = captureLogs();
    let parseError: unknown;
    try {
      JSON.parse('{"pan": 4242424242424242');
    } catch (error) {
      parseError = error;
    }
    const wrapped = new GatewayError('GW_ERR_INTERNAL', 'processor reply unreadable', { cause: parseError });
    logger.error({ err: wrapped }, 'failed');
    logger.error({ err: new Error('bad card 4242 4242 4242 4242 and 5555-5555-5555-4444') }, 'failed');
    expect(text()).not.toMatch(/4242\s?4242/);
    expect(text()).not.toContain('5555-5555');
    expect(text()).toContain('digits masked');
    expect(text()).toContain('GW_ERR_INTERNAL');
  });

  it('keeps short numbers (ports, counts, status codes) readable', () => {
    expect(maskDigitRuns('HTTP 503 after 3 attempts on 127.0.0.1:8443, 1795421943 s')).toBe(
      'HTTP 503 after 3 attempts on 127.0.0.1:8443, 1795421943 s',
    );
  });

  it('stops following a cycle of causes', () => {
    const { logger, text } = captureLogs();
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    logger.error({ err: a }, 'cyclic');
    expect(text()).toContain('cyclic');
  });
});
