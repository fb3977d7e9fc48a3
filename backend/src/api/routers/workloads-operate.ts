/**
 * `workloads.operate.*` (issue "Workloads", point 4): a workload's status with its rollout
 * progress and HPA; scale; pause/resume; restart; rollout history, diff between revisions and
 * undo to one; the HPA editor's apply and delete; delete of a workload or (typed name) a
 * namespace. Each does what kubectl does, through `ctx.workspace.withConnection`.
 *
 * @see ../../workloads/operate/service.ts
 */
import {
  operateDeleteInput,
  operateDeleteNamespaceInput,
  operateDiffInput,
  operateHpaApplyInput,
  operateHpaDeleteInput,
  operatePauseInput,
  operateScaleInput,
  operateUndoInput,
  operateWorkloadInput,
} from '../../workloads/operate/schema.ts';
import { operateService as s } from '../../workloads/operate/service.ts';
import type { ApiContext } from '../context.ts';
import { procedure, router } from '../trpc.ts';

const deps = (ctx: ApiContext) => ({ workspace: ctx.workspace, clock: ctx.clock });

export const workloadsOperateRouter = router({
  status: procedure
    .input(operateWorkloadInput)
    .query(({ ctx, input, signal }) => s.status(deps(ctx), input, signal)),
  history: procedure
    .input(operateWorkloadInput)
    .query(({ ctx, input, signal }) => s.history(deps(ctx), input, signal)),
  diff: procedure
    .input(operateDiffInput)
    .query(({ ctx, input, signal }) => s.diff(deps(ctx), input, signal)),
  scale: procedure
    .input(operateScaleInput)
    .mutation(({ ctx, input, signal }) => s.scale(deps(ctx), input, signal)),
  pause: procedure
    .input(operatePauseInput)
    .mutation(({ ctx, input, signal }) => s.pause(deps(ctx), input, signal)),
  restart: procedure
    .input(operateWorkloadInput)
    .mutation(({ ctx, input, signal }) => s.restart(deps(ctx), input, signal)),
  undo: procedure
    .input(operateUndoInput)
    .mutation(({ ctx, input, signal }) => s.undo(deps(ctx), input, signal)),
  delete: procedure
    .input(operateDeleteInput)
    .mutation(({ ctx, input, signal }) => s.delete(deps(ctx), input, signal)),
  deleteNamespace: procedure
    .input(operateDeleteNamespaceInput)
    .mutation(({ ctx, input, signal }) => s.deleteNamespace(deps(ctx), input, signal)),
  hpaApply: procedure
    .input(operateHpaApplyInput)
    .mutation(({ ctx, input, signal }) => s.hpaApply(deps(ctx), input, signal)),
  hpaDelete: procedure
    .input(operateHpaDeleteInput)
    .mutation(({ ctx, input, signal }) => s.hpaDelete(deps(ctx), input, signal)),
});
