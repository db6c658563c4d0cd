/** The session cookie: its name carries the `__Host-` prefix under TLS (no Domain, Path=/, Secure). */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-tonewall-session' : 'tonewall-session';
}

/** One cookie's value from a Cookie header, or undefined. Values are base64url, nothing to decode. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function sessionCookie(options: {
  name: string;
  value: string;
  secure: boolean;
  maxAgeMs?: number;
}): string {
  const parts = [`${options.name}=${options.value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (options.secure) parts.push('Secure');
  if (options.maxAgeMs !== undefined) parts.push(`Max-Age=${Math.floor(options.maxAgeMs / 1000)}`);
  return parts.join('; ');
}
