import { describe, expect, it } from 'vitest';
import { type StampedChunk, sseFrames } from '../../../scripts/bench/sse-frames.js';

const view = (status: string, extra = '') => `{"id":"p1","status":"${status}"${extra}}`;
const frame = (sequence: number, status: string) =>
  `event: payment\nid: ${sequence}\ndata: ${view(status)}\n\n`;
const chunks = (...parts: Array<[number, string | Uint8Array]>): StampedChunk[] =>
  parts.map(([receivedAt, text]) => ({
    receivedAt,
    bytes: typeof text === 'string' ? new TextEncoder().encode(text) : text,
  }));

describe('bench SSE frames', () => {
  it('stamps each frame with the arrival of the chunk that completed it', () => {
    const stream = frame(0, 'in-progress') + frame(1, 'in-progress');
    const cut = stream.indexOf('data:', stream.indexOf('id: 1'));
    const frames = sseFrames(chunks([10, stream.slice(0, cut)], [25.5, stream.slice(cut)]));
    expect(frames.map(({ receivedAt, sequence }) => [receivedAt, sequence])).toEqual([
      [10, 0],
      [25.5, 1],
    ]);
  });

  it('reads several frames from one chunk, all stamped alike', () => {
    const frames = sseFrames(chunks([7, frame(3, 'in-progress') + frame(4, 'succeeded')]));
    expect(frames.map((f) => [f.receivedAt, f.sequence, f.view.status])).toEqual([
      [7, 3, 'in-progress'],
      [7, 4, 'succeeded'],
    ]);
  });

  it('leaves out comments, frames without data and a frame cut off by the end', () => {
    const frames = sseFrames(
      chunks(
        [1, ': keep-alive\n\n'],
        [2, 'event: payment\nid: 5\n\n'],
        [3, frame(6, 'failed')],
        [4, 'id: 7\ndata: {"id"'],
      ),
    );
    expect(frames.map((f) => f.sequence)).toEqual([6]);
  });

  it('gives a frame without a numeric id the sequence -1', () => {
    expect(sseFrames(chunks([1, `id: x\ndata: ${view('failed')}\n\n`]))[0]?.sequence).toBe(-1);
  });

  it('keeps a multi-byte character split between chunks', () => {
    const bytes = new TextEncoder().encode(frame(1, 'in-progress').replace('"p1"', '"p€"'));
    const split = bytes.indexOf(0xe2) + 1;
    const [first] = sseFrames(chunks([1, bytes.slice(0, split)], [2, bytes.slice(split)]));
    expect(first?.view.id).toBe('p€');
    expect(first?.receivedAt).toBe(2);
  });
});
