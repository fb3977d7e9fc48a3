/**
 * The Usage section's warning about pods the metering finalizer holds while no meter Deployment
 * exists (`meter.status`'s `heldPods`, backend/src/meter/held-pods.ts): how many, how many of
 * them are stuck Terminating, and whether the count is a lower bound. No warning for a count of
 * zero the backend actually read; an unread count is `undefined` there, never 0.
 *
 * @see ../../../backend/src/meter/held-pods.ts
 */
import type { MeterHeldPods } from '@nodeless/backend/api';
import { formatCount } from '../workspace/format.ts';

const pods = (n: number): string => `${formatCount(n)} pod${n === 1 ? '' : 's'}`;

/** The warning's sentence, or undefined when no pod is held (a complete count of 0). */
export function heldPodsWarning(held: MeterHeldPods | undefined): string | undefined {
  if (!held || (held.withFinalizer === 0 && held.complete)) return undefined;
  if (held.withFinalizer === 0) {
    return (
      'No meter is installed. None of the pods counted carries its finalizer ' +
      '(nodeless.dev/metering), but the cluster has more pods than were counted.'
    );
  }
  const atLeast = held.complete ? '' : 'at least ';
  const terminating =
    held.terminating > 0
      ? ` ${atLeast}${pods(held.terminating)} ${held.terminating === 1 ? 'is' : 'are'} stuck Terminating (deleted, but kept until the finalizer goes).`
      : ' None is being deleted yet, but each will stay Terminating when it is.';
  return (
    `No meter is installed, yet ${atLeast}${pods(held.withFinalizer)} still ` +
    `${held.withFinalizer === 1 ? 'carries' : 'carry'} its finalizer (nodeless.dev/metering), ` +
    `which only the meter or its uninstall removes.${terminating}` +
    (held.complete ? '' : ' The cluster has more pods than were counted.')
  );
}
