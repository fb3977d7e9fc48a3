/**
 * `workloads.operate.*` behind the API: cluster-runtime's operations (kubectl's behaviour) on
 * the cluster's shared connection. The engine's refusals become API answers here:
 * - a refusal kubectl makes too (undo of a paused Deployment, a pruned revision, a wrong typed
 *   name) → 412 with kubectl's words and what to do;
 * - the workload gone → 404;
 * - HPA field errors, ours or the API server's 422 → 400 naming the form's field;
 * - a write that lost a race (resourceVersion precondition) → 409, "look again".
 * Anything else the cluster says goes to the workspace's wording (403 / 502).
 */
import {
  applyHpa,
  deleteHpa,
  deleteNamespace,
  deleteWorkload,
  diffRevisions,
  HpaInputError,
  KubeApiError,
  OperationRefusedError,
  restartWorkload,
  rolloutHistory,
  scaleWorkload,
  setPaused,
  undoRollout,
  WorkloadNotFoundError,
  workloadStatus,
  type HpaState,
  type KubeClient,
  type Revision,
  type TemplateChange,
  type UndoResult,
  type WorkloadStatus,
} from '@nodeless/cluster-runtime';
import { TRPCError } from '@trpc/server';
import type { WorkspaceService } from '../../clusters/workspace-service.ts';
import { InputError } from '../../inventory/errors.ts';
import type {
  OperateDeleteInput,
  OperateDeleteNamespaceInput,
  OperateDiffInput,
  OperateHpaApplyInput,
  OperateHpaDeleteInput,
  OperatePauseInput,
  OperateScaleInput,
  OperateUndoInput,
  OperateWorkloadInput,
} from './schema.ts';
import type { DeleteAnswer, PauseAnswer, ScaleAnswer } from './types.ts';

type Workspace = Pick<WorkspaceService, 'withConnection'>;

/** The API server's HPA field paths → the editor's fields. */
const HPA_FIELDS: [RegExp, string][] = [
  [/^metadata\.name$/, 'name'],
  [/^spec\.minReplicas$/, 'minReplicas'],
  [/^spec\.maxReplicas$/, 'maxReplicas'],
  [/^spec\.scaleTargetRef/, 'target'],
  [/^spec\.behavior\.scaleDown/, 'scaleDownStabilizationSeconds'],
  [/^spec\.metrics/, 'metrics'],
];

/** A 422's causes as the HPA form's field errors. */
export function hpaFieldErrors(error: KubeApiError): Record<string, string> {
  const body = (typeof error.body === 'object' && error.body !== null ? error.body : {}) as {
    message?: string;
    details?: { causes?: { field?: string; message?: string }[] };
  };
  const out: Record<string, string> = {};
  for (const cause of body.details?.causes ?? []) {
    const path = (cause.field ?? '').replace(/^\./, '');
    const field = HPA_FIELDS.find(([re]) => re.test(path))?.[1] ?? 'input';
    out[field] ??= cause.message ?? 'is invalid';
  }
  if (Object.keys(out).length === 0) out['input'] = body.message ?? error.message;
  return out;
}

/** Our errors → the API's; anything else passes to the workspace's wording. */
export function operateError(error: unknown): unknown {
  if (error instanceof OperationRefusedError) {
    const message = error.remedy ? `${error.message}. ${error.remedy}` : error.message;
    return new TRPCError({ code: 'PRECONDITION_FAILED', message, cause: error });
  }
  if (error instanceof WorkloadNotFoundError) {
    return new TRPCError({ code: 'NOT_FOUND', message: error.message, cause: error });
  }
  if (error instanceof HpaInputError) return new InputError(error.errors);
  if (error instanceof KubeApiError && error.code === 409) {
    return new TRPCError({
      code: 'CONFLICT',
      message: 'It changed on the cluster meanwhile (someone else wrote it). Look again and retry.',
      cause: error,
    });
  }
  if (error instanceof KubeApiError && error.code === 404) {
    return new TRPCError({
      code: 'NOT_FOUND',
      message: 'It does not exist (any more) on the cluster.',
      cause: error,
    });
  }
  return error;
}

/** Runs `fn` with the cluster's client, mapping the engine's refusals (see the module). */
async function operate<T>(
  workspace: Workspace,
  clusterId: string,
  fn: (client: KubeClient) => Promise<T>,
  mapCluster?: (error: KubeApiError) => unknown,
): Promise<T> {
  return workspace.withConnection(clusterId, async (connection) => {
    try {
      return await fn(connection.client());
    } catch (error) {
      if (mapCluster && error instanceof KubeApiError) {
        const mapped = mapCluster(error);
        if (mapped) throw mapped;
      }
      throw operateError(error);
    }
  });
}

const address = (i: OperateWorkloadInput) => ({
  kind: i.kind,
  namespace: i.namespace,
  name: i.name,
});

export interface OperateDeps {
  workspace: Workspace;
  clock: () => Date;
}

export const operateService = {
  status: (
    d: OperateDeps,
    i: OperateWorkloadInput,
    signal?: AbortSignal,
  ): Promise<WorkloadStatus> =>
    operate(d.workspace, i.clusterId, (c) => workloadStatus(c, address(i), signal)),

  scale: (d: OperateDeps, i: OperateScaleInput, signal?: AbortSignal): Promise<ScaleAnswer> =>
    operate(d.workspace, i.clusterId, async (c) => ({
      replicas: await scaleWorkload(c, address(i), i.replicas, signal),
    })),

  pause: (d: OperateDeps, i: OperatePauseInput, signal?: AbortSignal): Promise<PauseAnswer> =>
    operate(d.workspace, i.clusterId, async (c) => ({
      changed: await setPaused(c, address(i), i.paused, signal),
    })),

  restart: (d: OperateDeps, i: OperateWorkloadInput, signal?: AbortSignal): Promise<void> =>
    operate(d.workspace, i.clusterId, (c) => restartWorkload(c, address(i), d.clock(), signal)),

  history: (d: OperateDeps, i: OperateWorkloadInput, signal?: AbortSignal): Promise<Revision[]> =>
    operate(d.workspace, i.clusterId, (c) => rolloutHistory(c, address(i), signal)),

  diff: (d: OperateDeps, i: OperateDiffInput, signal?: AbortSignal): Promise<TemplateChange[]> =>
    operate(d.workspace, i.clusterId, (c) => diffRevisions(c, address(i), i.from, i.to, signal)),

  undo: (d: OperateDeps, i: OperateUndoInput, signal?: AbortSignal): Promise<UndoResult> =>
    operate(d.workspace, i.clusterId, (c) => undoRollout(c, address(i), i.toRevision, signal)),

  delete: (d: OperateDeps, i: OperateDeleteInput, signal?: AbortSignal): Promise<DeleteAnswer> =>
    operate(d.workspace, i.clusterId, async (c) => ({
      deleted: await deleteWorkload(c, address(i), {
        ...(i.uid ? { uid: i.uid } : {}),
        ...(signal ? { signal } : {}),
      }),
    })),

  deleteNamespace: (
    d: OperateDeps,
    i: OperateDeleteNamespaceInput,
    signal?: AbortSignal,
  ): Promise<DeleteAnswer> =>
    operate(d.workspace, i.clusterId, async (c) => ({
      deleted: await deleteNamespace(c, i.name.trim(), i.confirmName, signal),
    })),

  hpaApply: (d: OperateDeps, i: OperateHpaApplyInput, signal?: AbortSignal): Promise<HpaState> => {
    const { clusterId, ...model } = i;
    return operate(
      d.workspace,
      clusterId,
      (c) => applyHpa(c, model, signal),
      (e) => (e.code === 422 ? new InputError(hpaFieldErrors(e)) : undefined),
    );
  },

  hpaDelete: (
    d: OperateDeps,
    i: OperateHpaDeleteInput,
    signal?: AbortSignal,
  ): Promise<DeleteAnswer> =>
    operate(d.workspace, i.clusterId, async (c) => ({
      deleted: await deleteHpa(c, i.namespace, i.name, signal),
    })),
};
