/**
 * The Content-Security-Policy of the UI: the backend sends it with every HTML page and the
 * desktop shell sets it again on every response of its origin (so it holds even if a header
 * were lost). Scripts only from our own files (Vite emits no inline script), styles from our
 * files plus React's inline `style` attributes, images from our files and data: URLs, requests
 * only to our own origin; no framing, no `<base>`, no form posts.
 *
 * @see https://developer.mozilla.org/docs/Web/HTTP/CSP
 * @see https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy
 * @see ../../../shared/DESIGN.md §2 — strict CSP
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
