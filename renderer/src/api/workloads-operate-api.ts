/**
 * What a workload's operations need from the backend (`workloads.operate.*`), as a narrow
 * interface so the views can be driven by a fake and the transport changes in one place.
 *
 * @see ../../../backend/src/api/routers/workloads-operate.ts — the procedures behind it
 */
import type { TRPCClient } from '@trpc/client';
import type {
  AppRouter,
  DeleteAnswer,
  HpaState,
  OperateDeleteInput,
  OperateDeleteNamespaceInput,
  OperateDiffInput,
  OperateHpaApplyInput,
  OperateHpaDeleteInput,
  OperatePauseInput,
  OperateScaleInput,
  OperateUndoInput,
  OperateWorkloadInput,
  PauseAnswer,
  Revision,
  ScaleAnswer,
  TemplateChange,
  UndoResult,
  WorkloadStatus,
} from '@nodeless/backend/api';
import { createTrpc } from './trpc-client.ts';

export interface WorkloadsOperateApi {
  status(input: OperateWorkloadInput): Promise<WorkloadStatus>;
  history(input: OperateWorkloadInput): Promise<Revision[]>;
  diff(input: OperateDiffInput): Promise<TemplateChange[]>;
  scale(input: OperateScaleInput): Promise<ScaleAnswer>;
  pause(input: OperatePauseInput): Promise<PauseAnswer>;
  restart(input: OperateWorkloadInput): Promise<void>;
  undo(input: OperateUndoInput): Promise<UndoResult>;
  delete(input: OperateDeleteInput): Promise<DeleteAnswer>;
  deleteNamespace(input: OperateDeleteNamespaceInput): Promise<DeleteAnswer>;
  hpaApply(input: OperateHpaApplyInput): Promise<HpaState>;
  hpaDelete(input: OperateHpaDeleteInput): Promise<DeleteAnswer>;
}

/** Binds {@link WorkloadsOperateApi} to a tRPC client (share the window's one). */
export function createWorkloadsOperateApi(
  trpc: TRPCClient<AppRouter> = createTrpc(),
): WorkloadsOperateApi {
  const t = trpc.workloads.operate;
  return {
    status: (input) => t.status.query(input),
    history: (input) => t.history.query(input),
    diff: (input) => t.diff.query(input),
    scale: (input) => t.scale.mutate(input),
    pause: (input) => t.pause.mutate(input),
    restart: (input) => t.restart.mutate(input),
    undo: (input) => t.undo.mutate(input),
    delete: (input) => t.delete.mutate(input),
    deleteNamespace: (input) => t.deleteNamespace.mutate(input),
    hpaApply: (input) => t.hpaApply.mutate(input),
    hpaDelete: (input) => t.hpaDelete.mutate(input),
  };
}

let shared: WorkloadsOperateApi | undefined;

/**
 * The window's operations API when none is handed in: one, made on first use. HTTP only (no
 * subscription), so it opens no WebSocket of its own.
 */
export function defaultWorkloadsOperateApi(): WorkloadsOperateApi {
  shared ??= createWorkloadsOperateApi();
  return shared;
}
