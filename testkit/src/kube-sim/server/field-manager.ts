/**
 * The manager a non-apply write is recorded under: `?fieldManager=` when given, else the
 * User-Agent up to its first `/` (`kubectl/v1.36.3 (linux/amd64) …` → `kubectl`), without
 * unprintable characters and cut at 128 bytes, as upstream's `managerOrUserAgent` derives it.
 *
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/endpoints/handlers/create.go (managerOrUserAgent, prefixFromUserAgent)
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#managers
 */
import type { Call } from './context.ts';

/** Upstream's `validation.FieldManagerMaxLength`. */
const MAX_BYTES = 128;

/** Printable as Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols, ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

export function prefixFromUserAgent(userAgent: string): string {
  const head = userAgent.split('/')[0] ?? '';
  let out = '';
  let bytes = 0;
  for (const ch of head) {
    if (!PRINTABLE.test(ch)) continue;
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > MAX_BYTES) break;
    out += ch;
    bytes += n;
  }
  return out;
}

export function managerOf(c: Call): string {
  const m = c.url.searchParams.get('fieldManager');
  if (m !== null && m !== '') return m;
  return prefixFromUserAgent(c.req.headers['user-agent'] ?? '');
}
