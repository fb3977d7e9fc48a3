/**
 * Words and clock shared by the Events section and {@link ObjectEvents}.
 *
 * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/ (--event-ttl default 1h0m0s)
 */
import { useEffect, useState } from 'react';
import { formatAge } from '../workspace/format.ts';
import type { EventGroup } from './event-groups.ts';

/** kube-apiserver deletes events after `--event-ttl`, one hour unless the cluster changed it. */
export const TTL_NOTE =
  'Kubernetes keeps events for about an hour (the API server’s --event-ttl), so older ones are gone.';

/** One clock per view: every age in it re-renders together. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

/**
 * kubectl events' LAST SEEN: `5m` for a single event, `5m (x12 over 20m)` for a repeated one.
 *
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/cmd/events/event_printer.go (getInterval)
 */
export function lastSeenText(g: EventGroup, now: number): string {
  const last = g.lastAt ?? g.firstAt;
  if (last === undefined) return '';
  const ago = formatAge(now - last);
  if (g.count <= 1) return ago;
  const over = g.firstAt === undefined ? '' : ` over ${formatAge(now - g.firstAt)}`;
  return `${ago} (x${g.count}${over})`;
}
