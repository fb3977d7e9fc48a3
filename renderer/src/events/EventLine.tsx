/** One grouped event in a details pane: reason, Warning badge, last seen (xN over …), source, message. */
import type { EventGroup } from './event-groups.ts';
import { lastSeenText } from './event-format.ts';

export function EventLine({ group, now }: { group: EventGroup; now: number }) {
  const e = group.latest;
  return (
    <>
      <div>
        <strong>{e.reason}</strong>
        {e.type === 'Warning' ? <span className="badge warn">Warning</span> : null}
        <span className="muted small">
          {' '}
          · {lastSeenText(group, now)}
          {e.source ? ` · ${e.source}` : ''}
        </span>
      </div>
      <div className="small">{e.message}</div>
    </>
  );
}
