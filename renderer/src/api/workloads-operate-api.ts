/**
 * What a workload's operations need from the backend (`workloads.operate.*`), as a narrow
 * interface so the views can be driven by a fake and the transport changes in one place. The
 * workload's status is not here: the panel reads it live from the `workloads` and `hpas` feeds
 * (`workloads.operate.status` stays for other clients). main.tsx binds it to the window's client.
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
} from '@nodeless/backend/api';
import { createTrpc } from './trpc-client.ts';

export interface WorkloadsOperateApi {
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
