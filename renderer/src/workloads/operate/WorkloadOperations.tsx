/**
 * A workload's operations (issue "Workloads", point 4), each what kubectl does: replicas with
 * − / + (Deployments and StatefulSets), the HPA editor, rollout restart, pause / resume, the
 * rollout history with its diff and roll back, Edit YAML and delete. Live, with no polling: the
 * workload's replicas, paused flag and rollout progress come from its `workloads` feed row, its
 * HPA from the `hpas` feed; only the history and diffs (which no feed carries) are asked for,
 * the history again when the row's revision changes. An operation started here shows the
 * rollout's progress (`{current, max, description}`) until it is done.
 */
import { useMemo, useState } from 'react';
import type { HpaState, WorkloadRow } from '@nodeless/backend/api';
import type { WorkloadsOperateApi } from '../../api/workloads-operate-api.ts';
import { useWorkloadsOperateApi } from '../../ui/app-context.tsx';
import { ProblemText } from '../../install/ProblemText.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { useAction } from '../../ui/use-action.ts';
import { useFeed, useFeedState } from '../../workspace/use-workspace.ts';
import type { WorkloadRef } from '../workload-ref.ts';
import { apiVersionOf, findWorkload } from '../workloads-model.ts';
import { DeleteWorkloadDialog } from './DeleteDialogs.tsx';
import { HpaDialog } from './HpaDialog.tsx';
import { HpaSummary } from './HpaSummary.tsx';
import {
  hpaFor,
  hpaFormOf,
  isScalable,
  newHpaForm,
  progressText,
  statusOf,
} from './operate-model.ts';
import { RolloutHistory } from './RolloutHistory.tsx';
import { ScaleControl } from './ScaleControl.tsx';
import { useFollowedRollout } from './use-followed-rollout.ts';
import './operate.css';

export interface WorkloadOperationsProps {
  clusterId: string;
  workload: WorkloadRef;
  /** Called after a delete, so the details pane can close. */
  onDeleted: () => void;
  /** Opens the YAML editor on an object (the workload itself, its HPA). */
  onEditYaml: (ref: { apiVersion: string; kind: string; namespace: string; name: string }) => void;
  /** The operations API (a test's fake); default: the window's (AppDeps). */
  api?: WorkloadsOperateApi;
  /** The workload's `workloads` feed row when the caller has it; else found in the feed here. */
  row?: WorkloadRow | undefined;
}

type Open = 'hpa' | 'hpa-delete' | 'delete' | null;

/** The workload's row: the one handed in, or looked up in the feed (once per feed change). */
function useWorkloadRow(
  clusterId: string,
  workload: WorkloadRef,
  given: WorkloadRow | undefined,
): WorkloadRow | undefined {
  const feed = useFeed(clusterId, 'workloads');
  const version = useFeedState(feed, (s) => (given ? 0 : s.version));
  const { kind, namespace, name } = workload;
  const found = useMemo(
    () => (given ? undefined : findWorkload(feed.store.getState().rows, { kind, namespace, name })),
    // The feed's map is updated in place; `version` says it changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [feed, version, given, kind, namespace, name],
  );
  return given ?? found;
}

/** The HPA scaling the workload, live from the `hpas` feed. */
function useWorkloadHpa(clusterId: string, workload: WorkloadRef): HpaState | undefined {
  const feed = useFeed(clusterId, 'hpas');
  const version = useFeedState(feed, (s) => s.version);
  const { kind, namespace, name } = workload;
  return useMemo(
    () => hpaFor(feed.store.getState().rows.values(), { kind, namespace, name }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [feed, version, kind, namespace, name],
  );
}

export function WorkloadOperations(props: WorkloadOperationsProps) {
  const { clusterId, workload, onDeleted, onEditYaml } = props;
  const windowApi = useWorkloadsOperateApi();
  const api = props.api ?? windowApi;
  const [notice, setNotice] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const row = useWorkloadRow(clusterId, workload, props.row);
  const liveHpa = useWorkloadHpa(clusterId, workload);
  const status = useMemo(() => (row ? statusOf(row, liveHpa) : null), [row, liveHpa]);
  const { following, finished, follow } = useFollowedRollout(status?.progress);
  const rollout = useAction();
  const hpaDelete = useAction();
  const ref = { clusterId, ...workload };
  const scalable = isScalable(workload.kind);
  const progress = status?.progress;

  // The last word: a notice of something done here, or the end of a followed rollout.
  const said = following === null ? (notice ?? finished) : notice;

  async function restart() {
    const o = await rollout.run(() => api.restart(ref));
    if (!o.ok) return;
    setNotice(null);
    follow('Restart');
  }

  async function setPaused(paused: boolean) {
    const o = await rollout.run(() => api.pause({ ...ref, paused }));
    if (!o.ok) return;
    setNotice(paused ? 'Rollout paused: template changes wait for Resume.' : 'Rollout resumed.');
  }

  async function deleteHpa(hpa: HpaState) {
    const o = await hpaDelete.run(() =>
      api.hpaDelete({ clusterId, namespace: workload.namespace, name: hpa.name }),
    );
    if (!o.ok) return;
    setOpen(null);
    setNotice(`Autoscaler ${hpa.name} deleted; the replicas stay where it left them.`);
  }

  const hpa = status?.hpa;
  const kindWord = workload.kind.toLowerCase();
  return (
    <section className="workload-ops" aria-label={`Operations of ${kindWord} ${workload.name}`}>
      {status === null ? <p className="muted">Reading the workload…</p> : null}
      {progress && (following !== null || !progress.done) ? (
        <div className="rollout-progress">
          <progress
            aria-label="Rollout progress"
            max={Math.max(progress.max, 1)}
            value={progress.current}
            aria-valuetext={progressText(progress)}
          />
          <p role="status" className="small">
            {following ? `${following}: ` : ''}
            {progressText(progress)}
          </p>
        </div>
      ) : null}
      {said ? (
        <p className="notice" role="status">
          {said}
        </p>
      ) : null}
      {status && scalable ? (
        <ScaleControl
          api={api}
          clusterId={clusterId}
          workload={workload}
          status={status}
          onScaled={(n) => {
            setNotice(null);
            follow(`Scaling to ${n}`);
          }}
        />
      ) : null}
      {status && scalable ? (
        <div className="ops-group" aria-labelledby="hpa-title">
          <h3 id="hpa-title" className="ops-title">
            Autoscaling
          </h3>
          {hpa ? (
            <HpaSummary hpa={hpa} />
          ) : (
            <p className="muted">
              No autoscaler: the replicas stay as set. An autoscaler adds and removes pods to keep
              CPU or memory use near a target.
            </p>
          )}
          <div className="inline-actions">
            {hpa?.model || !hpa ? (
              <button type="button" onClick={() => setOpen('hpa')}>
                {hpa ? 'Edit autoscaler' : 'Add autoscaler'}
              </button>
            ) : null}
            {hpa ? (
              <button
                type="button"
                onClick={() =>
                  onEditYaml({
                    apiVersion: 'autoscaling/v2',
                    kind: 'HorizontalPodAutoscaler',
                    namespace: workload.namespace,
                    name: hpa.name,
                  })
                }
              >
                Autoscaler YAML
              </button>
            ) : null}
            {hpa ? (
              <button
                type="button"
                className="danger"
                onClick={() => {
                  hpaDelete.clear();
                  setOpen('hpa-delete');
                }}
              >
                Delete autoscaler
              </button>
            ) : null}
          </div>
        </div>
      ) : null}
      {status && scalable ? (
        <div className="ops-group" aria-labelledby="rollout-title">
          <h3 id="rollout-title" className="ops-title">
            Rollout
          </h3>
          <div className="inline-actions">
            <button
              type="button"
              onClick={() => void restart()}
              disabled={rollout.pending || status.paused === true}
            >
              Restart
            </button>
            {workload.kind === 'Deployment' ? (
              <button
                type="button"
                onClick={() => void setPaused(!status.paused)}
                disabled={rollout.pending}
              >
                {status.paused ? 'Resume rollout' : 'Pause rollout'}
              </button>
            ) : null}
          </div>
          <p className="hint">
            {status.paused
              ? 'Paused: changes to the pod template wait until the rollout is resumed.'
              : 'Restart replaces every pod with a new one, a few at a time (kubectl rollout restart).'}
          </p>
          {rollout.problem ? <ProblemText problem={rollout.problem} /> : null}
        </div>
      ) : null}
      {status && scalable ? (
        <RolloutHistory
          api={api}
          clusterId={clusterId}
          workload={workload}
          revision={row?.revision}
          paused={status.paused === true}
          onRolledBack={(revision) => {
            setNotice(null);
            follow(`Roll back to revision ${revision}`);
          }}
        />
      ) : null}
      <div className="inline-actions ops-footer">
        <button
          type="button"
          onClick={() =>
            onEditYaml({
              apiVersion: apiVersionOf(workload.kind),
              kind: workload.kind,
              namespace: workload.namespace,
              name: workload.name,
            })
          }
        >
          Edit YAML
        </button>
        <button type="button" className="danger" onClick={() => setOpen('delete')}>
          Delete {kindWord}
        </button>
      </div>
      {open === 'hpa' && status ? (
        <HpaDialog
          api={api}
          clusterId={clusterId}
          workload={workload}
          initial={(hpa && hpaFormOf(hpa)) ?? newHpaForm(workload, status.replicas)}
          {...(hpa ? { existing: hpa } : {})}
          onSaved={(saved) => {
            setOpen(null);
            setNotice(`Autoscaler ${saved.name} saved.`);
          }}
          onClose={() => setOpen(null)}
        />
      ) : null}
      {open === 'hpa-delete' && hpa ? (
        <ConfirmDialog
          title={`Delete autoscaler ${hpa.name}?`}
          confirmLabel="Delete autoscaler"
          pending={hpaDelete.pending}
          error={hpaDelete.problem?.message ?? null}
          onConfirm={() => void deleteHpa(hpa)}
          onClose={() => setOpen(null)}
        >
          <p>
            {workload.name} keeps its {status?.replicas ?? 0} replicas and stops scaling with the
            load.
          </p>
        </ConfirmDialog>
      ) : null}
      {open === 'delete' ? (
        <DeleteWorkloadDialog
          api={api}
          clusterId={clusterId}
          workload={workload}
          uid={status?.uid}
          onDeleted={() => {
            setOpen(null);
            onDeleted();
          }}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </section>
  );
}
