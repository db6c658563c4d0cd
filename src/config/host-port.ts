/** HOST:PORT (the registry's hostPort checked the shape); `[::1]:6514` gives `::1`. */
export function splitHostPort(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(':');
  return { host: value.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(colon + 1)) };
}

/** A host as it goes before `:PORT` (a URL, Kamailio's `udp:[::1]:2223`): an IPv6 address in brackets. */
export function bracketedHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
