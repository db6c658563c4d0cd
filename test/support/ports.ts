import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { assertLoopback } from './media/loopback.js';

/** True when nothing holds UDP `address:port` (we could bind it ourselves). */
export function udpPortFree(address: string, port: number): Promise<boolean> {
  assertLoopback(address);
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, address, () => socket.close(() => resolve(true)));
  });
}

/**
 * A free UDP port on a loopback address. With `span` > 1 the ports `port … port + span - 1` are all
 * free and `port` is even (SIPp's media port and its RTCP/video neighbours). Looks in `from … to`,
 * starting at a random place so two runs rarely race for the same port.
 */
export async function freeUdpPort(
  address: string,
  options: { span?: number; from?: number; to?: number } = {},
): Promise<number> {
  const { span = 1, from = 40_000, to = 59_000 } = options;
  const slots = Math.floor((to - from) / Math.max(2, span));
  const first = Math.floor(Math.random() * slots);
  for (let i = 0; i < slots; i += 1) {
    const port = from + ((first + i) % slots) * Math.max(2, span);
    let free = true;
    for (let offset = 0; offset < span && free; offset += 1) free = await udpPortFree(address, port + offset);
    if (free) return port;
  }
  throw new Error(`no free UDP port on ${address} in ${from}-${to}`);
}

/**
 * Whether some process has bound UDP `address:port` (or the wildcard on that port), read from
 * /proc/net/udp: looking must not bind the port itself, or it could race the process starting up.
 */
export function udpPortBound(address: string, port: number): boolean {
  const wanted = `${address
    .split('.')
    .map((byte) => Number(byte).toString(16).padStart(2, '0'))
    .reverse()
    .join('')}:${port.toString(16).padStart(4, '0')}`.toUpperCase();
  const wildcard = `00000000:${port.toString(16).padStart(4, '0')}`.toUpperCase();
  const lines = readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1);
  return lines.some((line) => {
    const local = line.trim().split(/\s+/)[1]?.toUpperCase();
    return local === wanted || local === wildcard;
  });
}

/** Resolves once some process has bound UDP `address:port`; rejects after `timeoutMs` or when `alive()` turns false. */
export async function waitForUdpBound(
  address: string,
  port: number,
  options: { timeoutMs?: number; alive?: () => boolean; what?: string } = {},
): Promise<void> {
  const { timeoutMs = 5000, alive = () => true, what = `${address}:${port}` } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (udpPortBound(address, port)) return;
    if (!alive()) throw new Error(`${what} exited before binding udp ${address}:${port}`);
    if (Date.now() > deadline)
      throw new Error(`${what} did not bind udp ${address}:${port} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Runs `start` (which picks its ports with `freeUdpPort`) again, up to three times, when the process
 * exited before binding a port: a port free when looked at can be bound by another process first (the
 * range lies in Linux's ephemeral ports); CI once saw a SIPp customer exit so.
 */
export async function retryPortRace<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= 3 || !(error as Error).message.includes('exited before binding')) throw error;
    }
  }
}
