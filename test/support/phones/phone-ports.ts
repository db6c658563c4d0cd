/** Ports for a phone (phone.ts): consecutive ports no socket holds, and whether a TCP port is free. */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { PhoneError } from './phone.js';

/** Local ports some UDP or TCP socket holds, on any address (from /proc/net/{udp,tcp}). */
function portsInUse(): Set<number> {
  const used = new Set<number>();
  for (const file of ['/proc/net/udp', '/proc/net/tcp', '/proc/net/udp6', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      const hex = local?.split(':').pop();
      if (hex) used.add(Number.parseInt(hex, 16));
    }
  }
  return used;
}

/**
 * `count` consecutive ports (the first even) that no socket holds on any address: phones bind their
 * RTP on the wildcard address, so a port free on one loopback address only is not enough. Looks in
 * 21000-29000 (below the kernel's ephemeral range, apart from rtpengine's and SIPp's ranges),
 * starting at a random place.
 */
export function freePhonePorts(count: number): number {
  const from = 21_000;
  const to = 29_000;
  const used = portsInUse();
  const step = count % 2 === 0 ? count : count + 1;
  const slots = Math.floor((to - from) / step);
  const first = Math.floor(Math.random() * slots);
  for (let i = 0; i < slots; i += 1) {
    const port = from + ((first + i) % slots) * step;
    let free = true;
    for (let offset = 0; offset < count && free; offset += 1) free = !used.has(port + offset);
    if (free) return port;
  }
  throw new PhoneError(`no ${count} free ports in ${from}-${to}`);
}

/** Checks that a TCP port can be bound on `address` now. */
export function tcpPortFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, address, () => server.close(() => resolve(true)));
  });
}
