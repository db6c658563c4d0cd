/** The toolkit only ever sends or listens on IPv4 loopback (127.0.0.0/8). */
export function assertLoopback(address: string): void {
  const parts = address.split('.');
  const ok =
    parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
  if (!ok) throw new RangeError(`media toolkit sockets are loopback-only (127.0.0.0/8), got ${address}`);
}
