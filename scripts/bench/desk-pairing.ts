/**
 * Pairs a call's digit end packets (as captured: key-end-packets.ts) with the renders of its agent's
 * desk (agent-desks.ts: each time the digit count the desk shows changed, the time of the next
 * animation frame). Key i is on screen at the first render whose count is ≥ i. Pure; times are wall
 * clock ms since the epoch (tcpdump's and the page's `performance.timeOrigin + performance.now()`).
 */

/** One change of the desk's digit count: the count shown and when it was drawn. */
export interface DeskRender {
  readonly digits: number;
  readonly atMs: number;
}

export interface DeskPairing {
  /** Per digit, desk render − end packet, ms (empty when the desk cannot be paired one to one). */
  readonly latenciesMs: number[];
  /** Why not, when it cannot: the desk opened after the keys began, or the counts differ. */
  readonly unpaired?: string;
}

export function pairDesk(packetMs: readonly number[], renders: readonly DeskRender[]): DeskPairing {
  const first = renders[0];
  if (!first) return { latenciesMs: [], unpaired: 'the desk drew no digit count' };
  if (first.digits !== 0)
    return {
      latenciesMs: [],
      unpaired: `the desk opened after the first key (its first count ${first.digits}, drawn ${
        packetMs[0] === undefined ? '?' : Math.round(first.atMs - packetMs[0])
      } ms after the first end packet)`,
    };
  const shown = Math.max(...renders.map((render) => render.digits));
  if (packetMs.length === 0) return { latenciesMs: [], unpaired: 'no end packet captured' };
  if (shown !== packetMs.length)
    return {
      latenciesMs: [],
      unpaired: `${packetMs.length} digits ended on the wire, the desk counted ${shown}`,
    };
  for (let i = 1; i < renders.length; i += 1) {
    if ((renders[i]?.digits ?? 0) < (renders[i - 1]?.digits ?? 0))
      return { latenciesMs: [], unpaired: 'the digit count went down (a field asked again)' };
  }
  const latenciesMs = packetMs.map((packet, index) => {
    const render = renders.find((candidate) => candidate.digits >= index + 1) as DeskRender;
    return Math.round((render.atMs - packet) * 10) / 10;
  });
  return { latenciesMs };
}

/** What one load's desks measured (LoadResult.packetToDesk). */
export interface PacketToDesk {
  /** Desks opened (one per call, RFC 4733 layouts only). */
  readonly desks: number;
  /** Desks whose keys were paired one to one. */
  readonly paired: number;
  /** Every paired digit's end packet → desk render, ms. */
  readonly latenciesMs: number[];
  /** Per desk that could not be paired, why (no key in it). */
  readonly unpaired: string[];
}

export function packetToDesk(
  desks: readonly {
    readonly sipCallId: string;
    readonly packetMs: readonly number[];
    readonly renders: readonly DeskRender[];
  }[],
): PacketToDesk {
  const pairings = desks.map((desk) => ({ desk, pairing: pairDesk(desk.packetMs, desk.renders) }));
  return {
    desks: desks.length,
    paired: pairings.filter(({ pairing }) => pairing.unpaired === undefined).length,
    latenciesMs: pairings.flatMap(({ pairing }) => pairing.latenciesMs),
    unpaired: pairings.flatMap(({ desk, pairing }) =>
      pairing.unpaired === undefined ? [] : [`${desk.sipCallId}: ${pairing.unpaired}`],
    ),
  };
}
