/**
 * Request guards, as pure functions: the Host/Origin check (DNS-rebinding and CSRF defence)
 * and the per-launch token check (constant time).
 *
 * @see https://github.com/headlamp-k8s/headlamp (same model: local server + token)
 * @see https://nodejs.org/api/crypto.html#cryptotimingsafeequala-b
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Cookie carrying the token after the first `/?token=` visit. */
export const TOKEN_COOKIE = 'nodeless_token';

/**
 * Only our own loopback origins may talk to us. A foreign `Host` means the browser was sent
 * here by a rebinding DNS name; a foreign `Origin` means another site's page is calling us.
 * Returns the reason when refused.
 */
export function checkHostAndOrigin(headers: IncomingHttpHeaders, port: number): string | null {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = headers.host?.toLowerCase();
  if (host === undefined || !allowedHosts.includes(host)) return 'Host header not allowed';
  const origin = headers.origin;
  if (
    origin !== undefined &&
    !allowedHosts.map((h) => `http://${h}`).includes(origin.toLowerCase())
  ) {
    return 'Origin not allowed';
  }
  return null;
}

/** Compares a presented token with the expected one without leaking timing or length. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || presented === '') return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token a request presents: `Authorization: Bearer …` first, then the cookie. */
export function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return match?.[1];
  }
  return parseCookies(headers.cookie)[TOKEN_COOKIE];
}

/** Minimal RFC 6265 cookie-header parser (name=value pairs separated by `;`). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === '') continue;
    const value = part.slice(eq + 1).trim();
    out[name] ??= value;
  }
  return out;
}

/** `Set-Cookie` value for the token: not readable by scripts, never sent cross-site. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
