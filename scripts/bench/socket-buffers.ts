/**
 * The socket buffer limits a bench needs, set before it measures: the gateway asks 4 MiB for its DTMF
 * report socket (src/adapters/rtpengine/dtmf-listener.ts) and Linux caps every SO_RCVBUF at
 * net.core.rmem_max (212992 bytes on a stock Debian 12), so at that default the gateway gets a fifth
 * of it and a burst of reports under load can overflow it. Root raises the limit; anyone else gets
 * the figures as they are, and the report says which.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** What the bench needs of net.core: the gateway's DTMF socket asks this much. */
export const NEEDED_RMEM_MAX = 4 * 1024 * 1024;

export interface SocketBuffers {
  /** net.core.rmem_max / rmem_default / wmem_max as the bench measured with them. */
  readonly rmemMax: number;
  readonly rmemDefault: number;
  readonly wmemMax: number;
  /** rmem_max before the bench, when it raised it (else undefined). */
  readonly rmemMaxBefore?: number;
  /** Set when rmem_max stayed below the need (not root, or the write failed). */
  readonly shortBy?: number;
}

const file = (name: string) => `/proc/sys/net/core/${name}`;
const read = (name: string) => Number(readFileSync(file(name), 'utf8').trim());

/** Raises net.core.rmem_max to `NEEDED_RMEM_MAX` when it is lower (root only) and says what holds. */
export function ensureSocketBuffers(log: (line: string) => void): SocketBuffers {
  const before = read('rmem_max');
  let raised = false;
  if (before < NEEDED_RMEM_MAX && process.getuid?.() === 0) {
    try {
      writeFileSync(file('rmem_max'), String(NEEDED_RMEM_MAX));
      raised = true;
    } catch (error) {
      log(`bench: could not raise net.core.rmem_max: ${(error as Error).message}`);
    }
  }
  const rmemMax = read('rmem_max');
  const buffers: SocketBuffers = {
    rmemMax,
    rmemDefault: read('rmem_default'),
    wmemMax: read('wmem_max'),
    ...(raised ? { rmemMaxBefore: before } : {}),
    ...(rmemMax < NEEDED_RMEM_MAX ? { shortBy: NEEDED_RMEM_MAX - rmemMax } : {}),
  };
  log(
    `bench: net.core.rmem_max ${rmemMax}${raised ? ` (raised from ${before})` : ''}` +
      `${buffers.shortBy ? ` — below the ${NEEDED_RMEM_MAX} the gateway's DTMF socket asks (run as root to raise it)` : ''}` +
      `, rmem_default ${buffers.rmemDefault}, wmem_max ${buffers.wmemMax}`,
  );
  return buffers;
}

/** The report's sentence on them. */
export function socketBuffersText(buffers: SocketBuffers | undefined): string {
  if (!buffers) return 'Socket buffers: not recorded (benches before 2026-12-03).';
  const raised =
    buffers.rmemMaxBefore !== undefined ? ` (the bench raised it from ${buffers.rmemMaxBefore})` : '';
  const short = buffers.shortBy
    ? ` — ${buffers.shortBy} bytes below the ${NEEDED_RMEM_MAX} the gateway's DTMF socket asks: its reports could overflow under load`
    : '';
  return `Socket buffers: net.core.rmem_max ${buffers.rmemMax}${raised}${short}; rmem_default ${buffers.rmemDefault}, wmem_max ${buffers.wmemMax}.`;
}
