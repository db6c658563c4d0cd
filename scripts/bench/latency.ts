/**
 * Pairs the gateway's DTMF arrival times of one call with the SSE frames the bench received for its
 * payment: each accepted key makes one frame, in order, so key k is shown by the k-th frame after the
 * first (the snapshot sent on connect), the last key's frame being the one that leaves
 * `in-progress`. Pure; times are wall-clock ms.
 */
export interface FrameTime {
  readonly receivedAt: number;
  readonly sequence: number;
  readonly status: string;
}

export interface CallLatencies {
  /** Arrival of a key's DTMF datagram at the gateway → the SSE frame showing it, one per key. */
  readonly keyToScreenMs: number[];
  /** Arrival of the last key → the frame with the outcome (succeeded, failed, cancelled). */
  readonly lastKeyToOutcomeMs: number | undefined;
  /** Whether there was exactly one frame per key (otherwise keys are paired with the next frame in time). */
  readonly exact: boolean;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

export function callLatencies(arrivals: readonly number[], frames: readonly FrameTime[]): CallLatencies {
  const ordered = [...frames].sort((a, b) => a.sequence - b.sequence);
  const keyFrames: FrameTime[] = [];
  for (const frame of ordered) {
    if (frame.sequence <= 0) continue;
    keyFrames.push(frame);
    if (frame.status !== 'in-progress') break;
  }
  const exact = keyFrames.length === arrivals.length;
  const keyToScreenMs = arrivals.flatMap((arrival, index) => {
    const frame = exact ? keyFrames[index] : ordered.find((candidate) => candidate.receivedAt >= arrival);
    return frame ? [frame.receivedAt - arrival] : [];
  });
  const outcome = ordered.find((frame) => TERMINAL.has(frame.status));
  const last = arrivals.at(-1);
  return {
    keyToScreenMs,
    lastKeyToOutcomeMs: outcome && last !== undefined ? outcome.receivedAt - last : undefined,
    exact,
  };
}
