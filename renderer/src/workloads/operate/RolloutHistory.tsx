/**
 * A Deployment's or StatefulSet's rollout history (`kubectl rollout history`; ReplicaSets or
 * ControllerRevisions underneath): one row per revision with its images and change-cause; the differences between two chosen revisions' pod templates; and
 * "Roll back to this revision" (`kubectl rollout undo --to-revision`), confirmed with the
 * differences it will make.
 */
import { useEffect, useState } from 'react';
import type { Revision, TemplateChange } from '@nodeless/backend/api';
import { toProblem, type Problem } from '../../api/problems.ts';
import type { WorkloadsOperateApi } from '../../api/workloads-operate-api.ts';
import { ProblemText } from '../../install/ProblemText.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { useAction } from '../../ui/use-action.ts';
import type { WorkloadRef } from '../workload-ref.ts';
import { changeText, revisionText } from './operate-model.ts';

export interface RolloutHistoryProps {
  api: WorkloadsOperateApi;
  clusterId: string;
  workload: WorkloadRef;
  /**
   * The workload's revision as its feed row names it (a Deployment's number, a StatefulSet's
   * update revision): the history is read again when it changes.
   */
  revision: string | undefined;
  /** Paused Deployments cannot roll back (kubectl refuses too). */
  paused: boolean;
  onRolledBack(revision: number): void;
}

function Changes({ changes, label }: { changes: TemplateChange[]; label: string }) {
  if (changes.length === 0) return <p className="muted">The pod templates are the same.</p>;
  return (
    <ul className="template-changes" aria-label={label}>
      {changes.map((c) => (
        <li key={c.path}>
          <code>{c.path}</code>: <span className="mono">{changeText(c)}</span>
        </li>
      ))}
    </ul>
  );
}

export function RolloutHistory(props: RolloutHistoryProps) {
  const { api, clusterId, workload, revision, paused, onRolledBack } = props;
  const ref = { clusterId, ...workload };
  const [history, setHistory] = useState<Revision[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  // The revisions to compare as the user picked them; until then the previous and the newest.
  const [pickedFrom, setFrom] = useState<string | null>(null);
  const [pickedTo, setTo] = useState<string | null>(null);
  const from = pickedFrom ?? String(history?.at(-2)?.revision ?? '');
  const to = pickedTo ?? String(history?.at(-1)?.revision ?? '');
  const [diff, setDiff] = useState<{ label: string; changes: TemplateChange[] } | null>(null);
  const [undoTo, setUndoTo] = useState<number | null>(null);
  const [undoChanges, setUndoChanges] = useState<TemplateChange[] | null>(null);
  const compare = useAction();
  const undo = useAction();

  useEffect(() => {
    let live = true;
    api.history({ clusterId, ...workload }).then(
      (h) => {
        if (!live) return;
        setHistory(h);
        // A diff of revisions from before may name revisions that are gone now.
        setDiff(null);
        setProblem(null);
      },
      (e: unknown) => live && setProblem(toProblem(e)),
    );
    return () => {
      live = false;
    };
    // The workload's fields, not the object: a new object per render must not re-read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, clusterId, workload.kind, workload.namespace, workload.name, revision]);

  async function showDiff() {
    const a = Number(from);
    const b = Number(to);
    const o = await compare.run(() => api.diff({ ...ref, from: a, to: b }));
    if (o.ok) setDiff({ label: `Changes from revision ${a} to ${b}`, changes: o.value });
  }

  function askUndo(target: number) {
    undo.clear();
    setUndoTo(target);
    setUndoChanges(null);
    // From the newest revision in the history: the template the workload runs now.
    const current = history?.at(-1)?.revision;
    if (current !== undefined)
      api
        .diff({ ...ref, from: current, to: target })
        .then(setUndoChanges, () => setUndoChanges([]));
  }

  async function confirmUndo() {
    if (undoTo === null) return;
    const o = await undo.run(() => api.undo({ ...ref, toRevision: undoTo }));
    if (!o.ok) return;
    const target = undoTo;
    setUndoTo(null);
    onRolledBack(target);
  }

  const options = (history ?? []).map((r) => (
    <option key={r.revision} value={r.revision}>
      Revision {r.revision}
    </option>
  ));
  return (
    <div className="ops-group" aria-labelledby="rollout-history-title">
      <h3 id="rollout-history-title" className="ops-title">
        Rollout history
      </h3>
      {problem ? <ProblemText problem={problem} /> : null}
      {history === null && !problem ? <p className="muted">Loading the history…</p> : null}
      {history?.length === 0 ? <p className="muted">No revisions recorded yet.</p> : null}
      {history && history.length > 0 ? (
        <table className="hosts revisions" aria-label="Revisions">
          <thead>
            <tr>
              <th scope="col">Revision</th>
              <th scope="col">Images and change-cause</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...history].reverse().map((r) => (
              <tr key={r.revision} aria-current={r.current ? 'true' : undefined}>
                <th scope="row">
                  {r.revision}
                  {r.current ? <span className="badge">current</span> : null}
                </th>
                <td className="mono wrap">{revisionText(r)}</td>
                <td className="actions">
                  {r.current ? null : (
                    <button
                      type="button"
                      aria-label={`Roll back to revision ${r.revision}`}
                      disabled={paused}
                      title={
                        paused
                          ? 'Resume the rollout first: a paused Deployment cannot roll back.'
                          : undefined
                      }
                      onClick={() => askUndo(r.revision)}
                    >
                      Roll back
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {history && history.length > 1 ? (
        <div className="diff-picker">
          <label>
            Compare revision{' '}
            <select
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              aria-label="Compare from revision"
            >
              {options}
            </select>
          </label>{' '}
          <label>
            with{' '}
            <select
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-label="Compare to revision"
            >
              {options}
            </select>
          </label>{' '}
          <button
            type="button"
            onClick={() => void showDiff()}
            disabled={compare.pending || !from || !to}
          >
            Show differences
          </button>
        </div>
      ) : null}
      {compare.problem ? <ProblemText problem={compare.problem} /> : null}
      {diff ? <Changes changes={diff.changes} label={diff.label} /> : null}
      {undoTo !== null ? (
        <ConfirmDialog
          title={`Roll ${workload.name} back to revision ${undoTo}?`}
          confirmLabel={`Roll back to revision ${undoTo}`}
          pending={undo.pending}
          error={undo.problem?.message ?? null}
          onConfirm={() => void confirmUndo()}
          onClose={() => setUndoTo(null)}
        >
          <p>
            The pods are replaced with revision {undoTo}&apos;s template, which becomes the newest
            revision (as <code>kubectl rollout undo --to-revision={undoTo}</code>).
          </p>
          {undoChanges === null ? (
            <p className="muted">Reading what changes…</p>
          ) : (
            <Changes changes={undoChanges} label={`What changes with revision ${undoTo}`} />
          )}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
