/**
 * A pod in full for its details pane: the object as the API returns it now (minus
 * `metadata.managedFields`, which is for field owners, not people), its row, and its events —
 * joined through the connection's index by the regarded object's uid (one lookup, never a scan
 * of every event), newest first.
 *
 * Speed: the connection's one client (discovery already cached) makes one GET; the events come
 * from the connection's cache. Only a connection whose events cache is still on its first list
 * is waited for (a just-opened one), and only while that list runs: a cache that is retrying
 * (the API refused or does not serve events.k8s.io — e.g. a kube-sim without the mirror, or
 * RBAC without `list events`) will not list in the next seconds, so the details answer at once
 * with the events it has. Before, every details request on such a cluster waited the whole
 * {@link EVENTS_WAIT_MS} (the demo's 6.3 s).
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management
 */
import {
  POD,
  podPoolRequest,
  podRow,
  type CacheTimers,
  type EventRow,
} from '@nodeless/cluster-runtime';
import { NotFoundError } from '../inventory/errors.ts';
import type { Connection } from './connection.ts';
import type { PodDetail } from './contract.ts';

type PodObject = Parameters<typeof podRow>[0];

/** The longest a details request waits for a just-opened connection's events to list. */
export const EVENTS_WAIT_MS = 5_000;

const newest = (e: EventRow) => e.lastAt ?? e.firstAt ?? e.createdAt ?? 0;

export async function podDetail(
  connection: Connection,
  namespace: string,
  name: string,
  timers: Pick<CacheTimers, 'setTimeout' | 'clearTimeout'>,
  signal?: AbortSignal,
): Promise<PodDetail> {
  // The GET and the wait for the events list run side by side, not one after the other.
  const [pod] = await Promise.all([
    connection.client().get<PodObject>(POD, name, namespace, signal),
    eventsListed(connection, timers, signal),
  ]);
  if (!pod) throw new NotFoundError('pod', `${namespace}/${name}`);
  const uid = pod.metadata?.uid ?? '';
  const { managedFields: _dropped, ...metadata } = pod.metadata ?? {};
  const row = connection.pods.rows().get(uid) ?? {
    ...podRow(pod),
    request: podPoolRequest(pod.spec),
  };
  const events = connection.eventsByObject.get(uid).sort((a, b) => newest(b) - newest(a));
  return { row, object: { ...pod, metadata } as Record<string, unknown>, events };
}

/** Whether waiting for the events cache can help: it is listing and has not failed. */
const listing = (connection: Connection): boolean =>
  !connection.events.synced && connection.events.state === 'syncing';

/**
 * Resolves once the events cache listed, failed (retrying), {@link EVENTS_WAIT_MS} passed, or
 * `signal` aborted — at once when it is not listing.
 */
function eventsListed(
  connection: Connection,
  timers: Pick<CacheTimers, 'setTimeout' | 'clearTimeout'>,
  signal?: AbortSignal,
): Promise<void> {
  if (!listing(connection) || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      timers.clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = timers.setTimeout(done, EVENTS_WAIT_MS);
    const unsubscribe = connection.events.subscribe(() => {
      if (!listing(connection)) done();
    });
    signal?.addEventListener('abort', done, { once: true });
  });
}
