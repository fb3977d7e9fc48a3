/**
 * Request guards, as pure functions. Every request passes them in this order (server.ts and
 * websocket.ts apply the same order):
 *
 * 1. {@link checkHostAndOrigin}: only our own loopback Host and Origin (DNS-rebinding and
 *    cross-origin defence). A rebinding page never even learns whether a token would work.
 * 2. {@link checkCrossSite} (`/api` only): a request authenticated by the cookie must show
 *    that our own page sent it — an allowed `Origin`, `Sec-Fetch-Site: same-origin`, or the
 *    {@link API_REQUEST_HEADER} header. The cookie is *ambient*: the browser attaches it to
 *    any request to this host, including `<img>`/`<script>` GETs and forms from other pages
 *    on localhost (cookies ignore ports, and such GETs carry no Origin). A custom header
 *    cannot be added cross-origin without a CORS preflight, which we never answer.
 *    `Authorization: Bearer` is exempt: a browser never adds it on its own, so a page that can
 *    send it already holds the token and nothing is forged. Scripts therefore keep working
 *    with just the Bearer header.
 * 3. {@link tokenMatches}: the per-launch token (Bearer first, else this launch's cookie),
 *    compared in constant time.
 *
 * @see https://github.com/headlamp-k8s/headlamp (same model: local server + token)
 * @see https://nodejs.org/api/crypto.html#cryptotimingsafeequala-b
 * @see https://www.w3.org/TR/fetch-metadata/ (Sec-Fetch-Site)
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html#employing-custom-request-headers-for-ajaxapi
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-8.5 (cookies do not provide isolation by port)
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Prefix of the cookie carrying the token after the first `/?token=` visit. */
export const TOKEN_COOKIE_PREFIX = 'nodeless_token_';

/**
 * The token cookie's name for a launch on `port`. Cookies ignore ports, so with one fixed name
 * two launches (or a launch and a later one) overwrote each other's cookie and logged each
 * other out; with the port in the name each launch reads only its own.
 */
export function tokenCookieName(port: number): string {
  return `${TOKEN_COOKIE_PREFIX}${port}`;
}

/** Header (value `1`) the renderer sends on every API call; see {@link checkCrossSite}. */
export const API_REQUEST_HEADER = 'x-nodeless';

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

/** The token a request presents and whether the browser could have attached it on its own. */
export interface PresentedToken {
  token: string | undefined;
  /** True for the cookie (sent with any request to this host), false for Bearer or nothing. */
  ambient: boolean;
}

/** The token a request presents: `Authorization: Bearer …` first, then this launch's cookie. */
export function presentedToken(headers: IncomingHttpHeaders, port: number): PresentedToken {
  const auth = headers.authorization;
  if (auth !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return { token: match?.[1], ambient: false };
  }
  const token = parseCookies(headers.cookie)[tokenCookieName(port)];
  return { token, ambient: token !== undefined };
}

/**
 * Refuses an `/api` request that carries the cookie but no sign that our own page sent it
 * (see the module comment, step 2). Must run after {@link checkHostAndOrigin}, which already
 * refused every foreign `Origin`. Returns the reason when refused.
 */
export function checkCrossSite(
  headers: IncomingHttpHeaders,
  presented: PresentedToken,
): string | null {
  if (!presented.ambient) return null;
  if (headers.origin !== undefined) return null;
  if (headers['sec-fetch-site'] === 'same-origin') return null;
  if (headers[API_REQUEST_HEADER] === '1') return null;
  return `Request not sent by the Nodeless page (no Origin, Sec-Fetch-Site: same-origin or ${API_REQUEST_HEADER}: 1)`;
}

/** Compares a presented token with the expected one without leaking timing or length. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || presented === '') return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
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
export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
