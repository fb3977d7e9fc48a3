/**
 * What a deploy deletes, said before and after: an earlier deploy's objects the form no longer
 * produces (the Service once Expose is No). Before, the plan is asked of the backend whenever the
 * objects the form produces change (a short pause after typing), and the preview lists them;
 * after, the dialog says what went before it opens the app.
 *
 * @see ../../../../backend/src/workloads/deploy/leftovers.ts
 */
import { useEffect, useState } from 'react';
import { leftoverSentence, type DeployForm } from '@nodeless/common';
import type { DeployedObject } from '@nodeless/backend/api';
import type { WorkloadsDeployApi } from '../../api/workloads-deploy-api.ts';
import { planKey } from './deploy-model.ts';

/** The objects deploying `form` would delete; empty while unknown or when asking fails. */
export function useDeployDeletions(
  api: WorkloadsDeployApi,
  clusterId: string,
  form: DeployForm,
  delayMs = 300,
): DeployedObject[] {
  const [deletions, setDeletions] = useState<DeployedObject[]>([]);
  const key = planKey(form);
  // The form as of the key's change; later edits that keep the key need no new plan.
  const [asked, setAsked] = useState(form);
  if (planKey(asked) !== key) setAsked(form);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api.plan({ clusterId, form: asked }).then(
        (plan) => live && setDeletions(plan.deletions),
        () => live && setDeletions([]),
      );
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, clusterId, asked, delayMs]);
  return deletions;
}

/** The preview's list: `Service web will be deleted`. */
export function DeletionList(props: { deletions: readonly DeployedObject[]; done?: boolean }) {
  if (props.deletions.length === 0) return null;
  return (
    <ul
      className="deploy-deletions"
      aria-label={props.done ? 'Deleted by this deploy' : 'Deleted by Deploy'}
    >
      {props.deletions.map((d) => (
        <li key={`${d.kind}/${d.name}`}>
          {leftoverSentence(d, props.done)}
          {props.done ? '' : ': an earlier deploy made it, this form no longer does'}
        </li>
      ))}
    </ul>
  );
}

/** After a deploy that deleted something: what went, then open the app. */
export function DeployedWithDeletions(props: {
  name: string;
  deleted: readonly DeployedObject[];
  onOpen(): void;
}) {
  return (
    <>
      <div className="dialog-body" role="status">
        <p>
          Deployed <strong>{props.name}</strong>. What the form no longer makes is gone:
        </p>
        <DeletionList deletions={props.deleted} done />
      </div>
      <footer className="dialog-actions">
        <button type="button" className="primary" onClick={props.onOpen} autoFocus>
          Open {props.name}
        </button>
      </footer>
    </>
  );
}
