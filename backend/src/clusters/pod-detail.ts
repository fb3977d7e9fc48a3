/**
 * A pod in full for its details pane: the object as the API returns it now (minus
 * `metadata.managedFields`, which is for field owners, not people), its row, and its events —
 * joined through the connection's index by the regarded object's uid (one lookup, never a scan
 * of every event), newest first.
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management
 */
import { POD, podPoolRequest, podRow, type EventRow } from '@nodeless/cluster-runtime';
import { NotFoundError } from '../inventory/errors.ts';
import type { Connection } from './connection.ts';
import type { PodDetail } from './contract.ts';

type PodObject = Parameters<typeof podRow>[0];

/** How long a details request waits for a just-opened connection's events to list. */
export const EVENTS_WAIT_MS = 5_000;

const newest = (e: EventRow) => e.lastAt ?? e.firstAt ?? e.createdAt ?? 0;

export async function podDetail(
  connection: Connection,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<PodDetail> {
  const pod = await connection.client().get<PodObject>(POD, name, namespace, signal);
  if (!pod) throw new NotFoundError('pod', `${namespace}/${name}`);
  const uid = pod.metadata?.uid ?? '';
  await eventsListed(connection, signal);
  const { managedFields: _dropped, ...metadata } = pod.metadata ?? {};
  const row = connection.pods.rows().get(uid) ?? {
    ...podRow(pod),
    request: podPoolRequest(pod.spec),
  };
  const events = connection.eventsByObject.get(uid).sort((a, b) => newest(b) - newest(a));
  return { row, object: { ...pod, metadata } as Record<string, unknown>, events };
}

/** Resolves once the events cache listed (or after {@link EVENTS_WAIT_MS}, or on abort). */
function eventsListed(connection: Connection, signal?: AbortSignal): Promise<void> {
  if (connection.events.synced) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, EVENTS_WAIT_MS);
    const unsubscribe = connection.events.subscribe(() => {
      if (connection.events.synced) done();
    });
    signal?.addEventListener('abort', done, { once: true });
  });
}
