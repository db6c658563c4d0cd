/**
 * An rtpengine node as Kamailio's rtpengine module names it (`udp:HOST:PORT`, the form of its
 * `rtpengine_sock` and of `rtp_inst_pvar`): which media chain carries a call (docs/operations.md,
 * "The pair"). Compared case-insensitively, a missing `udp:` read as UDP (the module's default).
 */
export function mediaNodeKey(node: string): string {
  const trimmed = node.trim().toLowerCase();
  return /^(udp|udp6|tcp|tcp6):/.test(trimmed) ? trimmed : `udp:${trimmed}`;
}

/** Whether `node` is one of `chain` (a gateway's nodes): undefined when the call names no node. */
export function onChain(node: string | undefined, chain: readonly string[]): boolean | undefined {
  if (node === undefined || node.trim() === '') return undefined;
  const key = mediaNodeKey(node);
  return chain.some((own) => mediaNodeKey(own) === key);
}
