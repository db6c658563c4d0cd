import { NgClient } from '../adapters/rtpengine/ng-client.js';
import { type ProbedHop, reportingHops } from '../adapters/rtpengine/report-path-probe.js';
import type { Clock } from '../application/clock.js';
import type { PromptPlayer } from '../application/payments/payment-ports.js';
import type { Config } from '../config/config.js';
import { isGatewayError } from '../errors.js';
import type { Logger } from '../logger.js';

/** The NG clients of the three rtpengines (docs/media.md, "Three hops"). */
export interface MediaEngines {
  /** The edge (customer side): prompts, RFC 4733 reports. */
  readonly ng: NgClient;
  /** The mute hop (agent side): the customer's audio stops there while a payment captures. */
  readonly muteNg: NgClient;
  /**
   * /healthz pings each hop (edge, mask, mute) on sockets of their own: one attempt, a short limit, no
   * retries to wait out. A call needs all three: any one down and Kamailio refuses new calls.
   */
  readonly healthNg: readonly { readonly hop: string; readonly ng: NgClient }[];
  /** The two reporting hops (edge, mask) as the report-path probe calls them, each with the block Kamailio gives it at answer. */
  readonly probedHops: readonly ProbedHop[];
  close(): Promise<void>;
}

export async function openMediaEngines(config: Config, logger: Logger, clock: Clock): Promise<MediaEngines> {
  const open = (port: number, part: string, health = false) =>
    NgClient.open({
      host: config.rtpengine.ngHost,
      port,
      timeoutMs: health ? config.healthTimeoutMs : config.rtpengine.ngTimeoutMs,
      retries: health ? 0 : config.rtpengine.ngRetries,
      logger: logger.child({ part }),
      clock,
    });
  const ng = await open(config.rtpengine.ngPort, 'ng');
  const maskNg = await open(config.rtpengine.maskNgPort, 'ng-mask');
  const muteNg = await open(config.rtpengine.muteNgPort, 'ng-mute');
  const healthNg = [
    { hop: 'edge', ng: await open(config.rtpengine.ngPort, 'ng-probe', true) },
    { hop: 'mask', ng: await open(config.rtpengine.maskNgPort, 'ng-probe-mask', true) },
    { hop: 'mute', ng: await open(config.rtpengine.muteNgPort, 'ng-probe-mute', true) },
  ];
  return {
    ng,
    muteNg,
    healthNg,
    probedHops: reportingHops({
      edge: ng,
      mask: maskNg,
      edgeDelayBufferMs: config.rtpengine.edgeDelayBufferMs,
      maskDelayBufferMs: config.rtpengine.maskDelayBufferMs,
    }),
    async close() {
      await ng.close();
      await maskNg.close();
      await muteNg.close();
      for (const { ng: probe } of healthNg) await probe.close();
    },
  };
}

/** Runs one NG exchange and tells `observe` its command, result code and seconds (the NG histogram). */
export type TimedNg = <T>(command: string, run: () => Promise<T>) => Promise<T>;

export function timedNg(
  observe: (command: string, result: string, seconds: number) => void,
  monotonicMs: () => number,
): TimedNg {
  return async (command, run) => {
    const startedAt = monotonicMs();
    let result = 'ok';
    try {
      return await run();
    } catch (error) {
      result = isGatewayError(error) ? error.code : 'GW_ERR_INTERNAL';
      throw error;
    } finally {
      observe(command, result, (monotonicMs() - startedAt) / 1000);
    }
  };
}

/** Prompts through `timed`, so each `play media` shows in the NG latency histogram. */
export function timedPrompts(player: PromptPlayer, timed: TimedNg): PromptPlayer {
  return {
    play: (call, prompt, language) => timed('play media', () => player.play(call, prompt, language)),
    readBack: (call, amount, language) =>
      timed('play media', async () => {
        await player.readBack?.(call, amount, language);
      }),
    ...(player.readsBackByDefault === undefined ? {} : { readsBackByDefault: player.readsBackByDefault }),
  };
}
