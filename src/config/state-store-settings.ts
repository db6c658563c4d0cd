import { hostname } from 'node:os';
import type { z } from 'zod';
import { isLoopbackHost } from './access-settings.js';
import { bracketedHost } from './host-port.js';

/** Where shared state lives: the embedded store (one gateway) or Redis (several; issue 19). */
export type StateStoreSettings =
  | { readonly kind: 'embedded' }
  | {
      readonly kind: 'redis';
      /** redis://, rediss:// or unix:// (a secret: it may hold a password). */
      readonly url: string;
      readonly timeoutMs: number;
      /** This gateway among those sharing the store, stable across its restarts. */
      readonly instance: string;
      /** Its media chain's rtpengine nodes as Kamailio names them (TONEWALL_MEDIA_NODES). */
      readonly mediaNodes: readonly string[];
      /** Where clients reach it (TONEWALL_GATEWAY_URL), named by the other gateways. */
      readonly gatewayUrl: string;
    };

interface StateStoreEnvironment {
  readonly TONEWALL_STATE_STORE: 'embedded' | 'redis';
  readonly TONEWALL_REDIS_URL?: string | undefined;
  readonly TONEWALL_REDIS_TIMEOUT_MS: number;
  readonly TONEWALL_INSTANCE_NAME?: string | undefined;
  readonly TONEWALL_HTTP_PORT: number;
  readonly TONEWALL_HTTP_HOST: string;
  readonly TONEWALL_MEDIA_NODES?: readonly string[] | undefined;
  readonly TONEWALL_GATEWAY_URL?: string | undefined;
  readonly TONEWALL_NG_ADDR: string;
  readonly TONEWALL_NG_PORT: number;
  readonly TONEWALL_MASK_NG_PORT: number;
  readonly TONEWALL_MUTE_NG_PORT: number;
}

/** A Redis store needs its URL; cleartext Redis only on this host (messages name settings, never values). */
export function checkStateStoreSettings(env: StateStoreEnvironment, context: z.RefinementCtx): void {
  const issue = (message: string) =>
    context.addIssue({ code: 'custom', path: ['TONEWALL_REDIS_URL'], message });
  if (env.TONEWALL_STATE_STORE === 'redis' && env.TONEWALL_REDIS_URL === undefined) {
    issue('is required when TONEWALL_STATE_STORE=redis');
  }
  if (env.TONEWALL_REDIS_URL === undefined) return;
  let url: URL;
  try {
    url = new URL(env.TONEWALL_REDIS_URL);
  } catch {
    issue('is not a URL');
    return;
  }
  if (url.protocol === 'redis:' && !isLoopbackHost(url.hostname)) {
    issue('must be rediss:// (TLS) unless on loopback');
  }
  if (url.protocol === 'unix:' && url.pathname.length < 2) issue('must name the socket file');
}

export function stateStoreSettings(env: StateStoreEnvironment): StateStoreSettings {
  if (env.TONEWALL_STATE_STORE === 'embedded' || env.TONEWALL_REDIS_URL === undefined) {
    return { kind: 'embedded' };
  }
  return {
    kind: 'redis',
    url: env.TONEWALL_REDIS_URL,
    timeoutMs: env.TONEWALL_REDIS_TIMEOUT_MS,
    instance: env.TONEWALL_INSTANCE_NAME ?? `${hostname()}:${env.TONEWALL_HTTP_PORT}`,
    mediaNodes:
      env.TONEWALL_MEDIA_NODES ??
      [env.TONEWALL_NG_PORT, env.TONEWALL_MASK_NG_PORT, env.TONEWALL_MUTE_NG_PORT].map(
        (port) => `udp:${bracketedHost(env.TONEWALL_NG_ADDR)}:${port}`,
      ),
    gatewayUrl:
      env.TONEWALL_GATEWAY_URL ?? `http://${bracketedHost(env.TONEWALL_HTTP_HOST)}:${env.TONEWALL_HTTP_PORT}`,
  };
}
