/**
 * The events of one object (a pod, a Deployment …), for its details pane: both event APIs,
 * from the cluster's `events` feed through the window's index by regarded uid (one lookup,
 * never a scan), repeats grouped, newest first, warnings highlighted, live as events arrive.
 *
 * Mount it with the object's uid: `<ObjectEvents clusterId={id} uid={object.metadata.uid} />`.
 * While the uid is not known yet (the object is still loading) pass `undefined`.
 *
 * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/ (--event-ttl, 1h)
 */
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { useFeed, useFeedState } from '../workspace/use-workspace.ts';
import { EventLine } from './EventLine.tsx';
import { eventIndexOf } from './event-index.ts';
import { groupEvents } from './event-groups.ts';
import { TTL_NOTE, useNow } from './event-format.ts';
import './events.css';

export function ObjectEvents(props: { clusterId: string; uid: string | undefined }) {
  const { clusterId, uid } = props;
  const feed = useFeed(clusterId, 'events');
  const loaded = useFeedState(feed, (s) => s.loaded);
  const streamError = useFeedState(feed, (s) => s.streamError);
  const index = eventIndexOf(feed);
  const subscribe = useCallback(
    (listener: () => void) => (uid ? index.subscribe(uid, listener) : () => {}),
    [index, uid],
  );
  const events = useSyncExternalStore(subscribe, () => (uid ? index.get(uid) : undefined));
  const groups = useMemo(() => (events ? groupEvents(events) : []), [events]);
  const now = useNow(5_000);
  return (
    <section className="object-events">
      <h3>Events</h3>
      <p className="muted small">{TTL_NOTE}</p>
      {streamError && !loaded ? (
        <p className="form-error" role="alert">
          Events are not available: {streamError}
        </p>
      ) : !loaded ? (
        <p className="muted" role="status">
          Loading events…
        </p>
      ) : groups.length === 0 ? (
        <p className="muted">No events.</p>
      ) : (
        <ul className="events" aria-label="Events">
          {groups.map((g) => (
            <li
              key={g.latest.uid}
              className={g.latest.type === 'Warning' ? 'event warning' : 'event'}
            >
              <EventLine group={g} now={now} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
