import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { SETTINGS } from '../../src/config/settings-registry.js';

const LONG = 'x'.repeat(5000);
/** A marker no message may echo: a setting's value can be a secret pasted into the wrong variable. */
const SECRET = 'sk_live_SECRETVALUE0123';

/** One wrong value for every setting of the registry (a value that is well-formed but out of range where there is a range). */
const INVALID: ReadonlyArray<[setting: string, value: string]> = [
  ['TONEWALL_LOG_LEVEL', 'loud'],
  ['TONEWALL_HTTP_HOST', LONG],
  ['TONEWALL_HTTP_PORT', '65536'],
  ['TONEWALL_HTTP_PORT', 'eighty'],
  ['TONEWALL_API_KEY', 'short'],
  ['TONEWALL_METRICS_TOKEN', 'short'],
  ['TONEWALL_HEALTH_TIMEOUT_MS', '10'],
  ['TONEWALL_NG_ADDR', LONG],
  ['TONEWALL_NG_PORT', '0'],
  ['TONEWALL_NG_TIMEOUT_MS', '1.5'],
  ['TONEWALL_NG_RETRIES', '11'],
  ['TONEWALL_DTMF_LOG_DEST', '127.0.0.1'],
  ['TONEWALL_MASK_DTMF_LOG_DEST', 'nowhere'],
  ['TONEWALL_MASK_NG_PORT', '0'],
  ['TONEWALL_MASK_DELAY_BUFFER', '5'],
  ['TONEWALL_AUDIT_SHIP_TO', '127.0.0.1'],
  ['TONEWALL_AUDIT_RECEIVER_PORT', '0'],
  ['TONEWALL_PAIR_PORT_OFFSET', '1'],
  ['TONEWALL_PAIR_REDIS_PORT', '70000'],
  ['TONEWALL_UNMUTE_DELAY_MS', 'long'],
  ['TONEWALL_MUTE_NG_PORT', '70000'],
  ['TONEWALL_DTMF_ALLOWED_SOURCES', ' , '],
  ['TONEWALL_EVAPI_ADDR', LONG],
  ['TONEWALL_EVAPI_PORT', '-1'],
  ['TONEWALL_EVAPI_RECONNECT_MS', '0'],
  ['TONEWALL_RPC_ADDR', LONG],
  ['TONEWALL_RPC_PORT', '70000'],
  ['TONEWALL_RPC_TIMEOUT_MS', '99999999'],
  ['TONEWALL_PROMPTS_DIR', LONG],
  ['TONEWALL_WEBHOOK_SECRET', SECRET],
  ['TONEWALL_WEBHOOK_HOSTS', ','],
  ['TONEWALL_WEBHOOK_HOSTS', 'crm.example.com:443'],
  ['TONEWALL_WEBHOOK_PREVIOUS_SECRET', 'whsec_short'],
  ['TONEWALL_WEBHOOK_RETRY_SCHEDULE', '5 minutes'],
  ['TONEWALL_WEBHOOK_RETRY_SCHEDULE', '5s,2d'],
  ['TONEWALL_WEBHOOK_TIMEOUT_MS', '100'],
  ['TONEWALL_WEBHOOK_LOOPBACK', 'yes'],
  ['TONEWALL_ROOT', LONG],
  ['TONEWALL_RUN_NAME', '../etc'],
  ['TONEWALL_KEYS_DIR', LONG],
  ['TONEWALL_PAYMENT_STATUS_FILE', LONG],
  ['TONEWALL_STATE_DB', LONG],
  ['TONEWALL_RECONCILE_INTERVAL_MS', '50'],
  ['TONEWALL_RECONCILE_NOTHING_AFTER_MS', '-1'],
  ['TONEWALL_PAYMENT_STATUS_RETAIN', '5'],
  ['TONEWALL_STATE_STORE', 'postgres'],
  ['TONEWALL_MAX_PAYMENTS_IN_PROGRESS', '-1'],
  ['TONEWALL_OVERLOAD_CPU_PERCENT', '101'],
  ['TONEWALL_OVERLOAD_WINDOW_S', '0'],
  ['TONEWALL_REDIS_URL', 'http://127.0.0.1:6379'],
  ['TONEWALL_REDIS_URL', 'redis://redis.example.net:6379/0'],
  ['TONEWALL_REDIS_TIMEOUT_MS', '5'],
  ['TONEWALL_INSTANCE_NAME', 'gateway one'],
  ['TONEWALL_MEDIA_NODES', 'udp:127.0.0.1'],
  ['TONEWALL_MEDIA_NODES', 'udp:127.0.0.1:2223;rm'],
  ['TONEWALL_GATEWAY_URL', 'ftp://127.0.0.1:8090'],
  ['TONEWALL_PROCESSOR', 'paypal'],
  ['TONEWALL_PROCESSOR_URL', 'http://127.0.0.1:8443/v1/tokens'],
  ['TONEWALL_PROCESSOR_ENCRYPTION_CERT', LONG],
  ['TONEWALL_PROCESSOR_KEY_ID', LONG],
  ['TONEWALL_PROCESSOR_CLIENT_CERT', LONG],
  ['TONEWALL_PROCESSOR_CLIENT_KEY', LONG],
  ['TONEWALL_PROCESSOR_CA', LONG],
  ['TONEWALL_PROCESSOR_TIMEOUT_MS', '50'],
  ['TONEWALL_PROCESSOR_MAX_ATTEMPTS', '0'],
  ['TONEWALL_PROCESSOR_BACKOFF_MS', '1'],
  ['TONEWALL_PROCESSOR_BACKOFF_MAX_MS', '1'],
  ['TONEWALL_PROCESSOR_DEADLINE_MS', '1'],
  ['TONEWALL_PROCESSOR_BREAKER_FAILURES', '0'],
  ['TONEWALL_PROCESSOR_BREAKER_COOLDOWN_MS', '1'],
  ['TONEWALL_STRIPE_SECRET_KEY', 'pk_test_abcdefgh0123'],
  ['TONEWALL_HTTP_TLS_CERT', LONG],
  ['TONEWALL_HTTP_TLS_KEY', LONG],
  ['TONEWALL_USERS_FILE', LONG],
  ['TONEWALL_LOCAL_SIGNIN', 'maybe'],
  ['TONEWALL_SESSION_IDLE_MS', '1000'],
  ['TONEWALL_SESSION_MAX_MS', '1000'],
  ['TONEWALL_SIGNIN_MAX_ATTEMPTS', '0'],
  ['TONEWALL_SIGNIN_WINDOW_MS', '1'],
  ['TONEWALL_TRUST_PROXY', 'everyone'],
  ['TONEWALL_MFA', 'sometimes'],
  ['TONEWALL_LOCKOUT_FAILURES', '11'],
  ['TONEWALL_LOCKOUT_MS', '60000'],
  ['TONEWALL_JWT_MAX_AGE_S', '0'],
  ['TONEWALL_AGENT_MAX_AMOUNT', 'lots'],
  ['TONEWALL_AGENT_CURRENCIES', 'pounds'],
  ['TONEWALL_API_KEY_SHA256', 'not-a-digest'],
  ['TONEWALL_JWT_JWKS_URL', 'ftp://idp.example/jwks'],
  ['TONEWALL_JWT_ISSUER', LONG],
  ['TONEWALL_JWT_AUDIENCE', LONG],
  ['TONEWALL_JWT_ALGORITHMS', 'none'],
  ['TONEWALL_JWT_ROLE_CLAIM', 'roles with spaces'],
  ['TONEWALL_JWT_AGENT_CLAIM', 'agent id!'],
  ['TONEWALL_JWT_MAX_AMOUNT_CLAIM', 'max amount'],
  ['TONEWALL_AUDIT_DIR', LONG],
  ['TONEWALL_AUDIT_KEY', LONG],
  ['TONEWALL_AUDIT_MAX_FILE_BYTES', '12'],
  ['TONEWALL_AUDIT_PREVIOUS_KEY', LONG],
  ['TONEWALL_AUDIT_PUBLIC_KEYS', 'x'.repeat(9000)],
  ['TONEWALL_AUDIT_SCAN_PATHS', 'x'.repeat(9000)],
  ['TONEWALL_AUDIT_SHIP_CA', LONG],
  ['TONEWALL_AUDIT_SIGNER_SOCKET', LONG],
  ['TONEWALL_AUDIT_SIGNER_STATE', LONG],
  ['TONEWALL_AUDIT_SIGNER_GROUP', 'not a group!'],
  ['TONEWALL_AUDIT_SHIP_CERT', LONG],
  ['TONEWALL_AUDIT_SHIP_KEY', LONG],
  ['TONEWALL_PROMPTS', 'maybe'],
  ['TONEWALL_PROMPT_VOICE', '../../etc'],
  ['TONEWALL_PROMPTS_RECORDED_DIR', LONG],
  ['TONEWALL_DEFAULT_LANGUAGE', 'en'],
  ['TONEWALL_AMOUNT_READBACK', 'yes'],
  ['TONEWALL_SIP_ADDR', LONG],
  ['TONEWALL_SIP_PORT', '0'],
  ['TONEWALL_PBX_SOURCE', LONG],
  ['TONEWALL_PBX_TARGET', '127.0.0.2:5080'],
  ['TONEWALL_CARRIER_TARGET', 'sip:"quoted"'],
  ['TONEWALL_AGENT_HEADER', 'X Agent'],
  ['TONEWALL_DLG_TIMEOUT', '5'],
  ['TONEWALL_MASKING_FROM', 'pbx'],
  ['TONEWALL_CARRIER_SOURCES', '10.0.0.0/8;1.2.3.4'],
  ['TONEWALL_SIP_FLOOD_LIMIT', '5'],
  ['TONEWALL_SIP_TLS_PORT', '0'],
  ['TONEWALL_PBX_SRTP', 'zrtp'],
  ['TONEWALL_CARRIER_SRTP', 'on'],
  ['TONEWALL_SIP_TLS_CERT', ''.padEnd(5000, 'x')],
  ['TONEWALL_SIP_TLS_KEY', ''.padEnd(5000, 'x')],
  ['TONEWALL_SIP_TLS_CA', ''.padEnd(5000, 'x')],
  ['TONEWALL_DLG_KEEPALIVE', '10'],
  ['TONEWALL_CLI_PORT', '70000'],
  ['TONEWALL_MASK_CLI_PORT', '0'],
  ['TONEWALL_MUTE_CLI_PORT', '0'],
  ['TONEWALL_LOCAL_FIREWALL', 'maybe'],
  ['TONEWALL_SERVICE_USERS', 'yes'],
  ['TONEWALL_CONTROL_UIDS', 'root'],
  ['TONEWALL_MEDIA_ADDR', LONG],
  ['TONEWALL_RTP_PORT_MIN', '-1'],
  ['TONEWALL_RTP_PORT_MAX', '100000'],
  ['TONEWALL_RTPE_THREADS', '0'],
  ['TONEWALL_RTPE_OFFER_FLAGS', 'ICE="remove"'],
  ['TONEWALL_RTPE_ANSWER_FLAGS', 'RTP\\AVP'],
  ['TONEWALL_RTPE_EXTRA_ARGS', LONG],
  ['TONEWALL_MASK_DTX_DELAY', '-5'],
  ['TONEWALL_MASK_RTPE_ARGS', 'a\nb'],
  ['TONEWALL_EDGE_RTPE_ARGS', 'a\nb'],
  ['TONEWALL_EDGE_DELAY_BUFFER', '-1'],
  ['TONEWALL_EDGE_TRANSCODE_FLAGS', 'a\nb'],
  ['TONEWALL_BLOCK_DTMF_FLAGS', 'delay-buffer="50"'],
  ['TONEWALL_EDGE_BLOCK_DTMF_FLAGS', LONG],
  ['TONEWALL_SANDBOX_ADDR', LONG],
  ['TONEWALL_SANDBOX_PORT', '65536'],
  ['TONEWALL_SANDBOX_CERT', LONG],
  ['TONEWALL_SANDBOX_KEY', LONG],
  ['TONEWALL_SANDBOX_CA', LONG],
  ['TONEWALL_SANDBOX_DECRYPTION_KEYS', 'x'.repeat(9000)],
  ['TONEWALL_SANDBOX_HANG_MS', '1'],
  ['TONEWALL_TYPO_SETTING', '1'],
];

describe('every invalid setting stops start-up', () => {
  it.each(
    INVALID,
  )('%s: a wrong value is refused with GW_ERR_CONFIG naming the setting, not its value', (setting, value) => {
    let thrown: unknown;
    try {
      loadConfig({ [setting]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'GW_ERR_CONFIG' });
    const message = (thrown as Error).message;
    expect(message).toContain(setting);
    if (value.length > 3) expect(message).not.toContain(value.slice(0, 40));
  });

  it('the table covers every setting the registry declares', () => {
    const tested = new Set(INVALID.map(([setting]) => setting));
    const untested = Object.keys(SETTINGS).filter((setting) => !tested.has(setting));
    expect(untested).toEqual([]);
    expect(Object.keys(SETTINGS).length).toBeGreaterThan(90);
  });

  it('refuses an RTP port range that is empty', () => {
    expect(() => loadConfig({ TONEWALL_RTP_PORT_MIN: '31000', TONEWALL_RTP_PORT_MAX: '30000' })).toThrow(
      /TONEWALL_RTP_PORT_MAX/,
    );
  });

  it('names each of several bad settings at once', () => {
    expect(() => loadConfig({ TONEWALL_NG_PORT: '0', TONEWALL_PROCESSOR: 'paypal' })).toThrow(
      /TONEWALL_NG_PORT.*TONEWALL_PROCESSOR|TONEWALL_PROCESSOR.*TONEWALL_NG_PORT/,
    );
  });

  it('asks for the callback allow-list whenever callbacks are on (a webhook secret is set)', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(() => loadConfig({ TONEWALL_WEBHOOK_SECRET: secret })).toThrow(
      /TONEWALL_WEBHOOK_HOSTS: is required when TONEWALL_WEBHOOK_SECRET is set/,
    );
    expect(() => loadConfig({ TONEWALL_WEBHOOK_SECRET: secret })).toThrow(/TONEWALL_WEBHOOK_HOSTS/);
    expect(
      loadConfig({ TONEWALL_WEBHOOK_SECRET: secret, TONEWALL_WEBHOOK_HOSTS: 'crm.example.com,10.0.0.5' })
        .webhooks,
    ).toMatchObject({ secrets: [secret], hosts: ['crm.example.com', '10.0.0.5'] });
    expect(() =>
      loadConfig({
        TONEWALL_WEBHOOK_SECRET: secret,
        TONEWALL_WEBHOOK_PREVIOUS_SECRET: secret,
        TONEWALL_WEBHOOK_HOSTS: 'a.example',
      }),
    ).toThrow(/TONEWALL_WEBHOOK_PREVIOUS_SECRET: is the same/);
    expect(() => loadConfig({ TONEWALL_WEBHOOK_PREVIOUS_SECRET: secret })).toThrow(
      /TONEWALL_WEBHOOK_PREVIOUS_SECRET: needs TONEWALL_WEBHOOK_SECRET/,
    );
  });

  it('asks for the Stripe key with TONEWALL_PROCESSOR=stripe', () => {
    expect(() => loadConfig({ TONEWALL_PROCESSOR: 'stripe' })).toThrow(/TONEWALL_STRIPE_SECRET_KEY/);
  });
});
