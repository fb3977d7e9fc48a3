/**
 * What the deploy form needs from the backend (`workloads.deploy.*`), as a narrow interface so
 * the dialog can be driven by a fake and the transport changes in one place.
 *
 * @see ../../../backend/src/api/routers/workloads-deploy.ts — the procedures behind it
 */
import type { TRPCClient } from '@trpc/client';
import type {
  AppRouter,
  DeployAnswer,
  DeployNamespaces,
  DeployPlan,
  DeployPlanInput,
  DeploySubmitInput,
} from '@nodeless/backend/api';
import { createTrpc } from './trpc-client.ts';

export interface WorkloadsDeployApi {
  /** The tenant namespaces to deploy into. */
  namespaces(input: { clusterId: string }): Promise<DeployNamespaces>;
  /** What deploying the form would delete (an earlier deploy's Service once Expose is No). */
  plan(input: DeployPlanInput): Promise<DeployPlan>;
  /**
   * Dry-runs every object, then (unless `dryRun`) applies them; a 400 names the form fields
   * (`form.image`), a conflict is an answer naming field and manager (repeat with `force`).
   */
  submit(input: DeploySubmitInput): Promise<DeployAnswer>;
}

/** Binds {@link WorkloadsDeployApi} to a tRPC client (share the window's one). */
export function createWorkloadsDeployApi(
  trpc: TRPCClient<AppRouter> = createTrpc(),
): WorkloadsDeployApi {
  const t = trpc.workloads.deploy;
  return {
    namespaces: (input) => t.namespaces.query(input),
    plan: (input) => t.plan.query(input),
    submit: (input) => t.submit.mutate(input),
  };
}

let shared: WorkloadsDeployApi | undefined;

/** The window's deploy API when none is handed in: one, made on first use (HTTP only). */
export function defaultWorkloadsDeployApi(): WorkloadsDeployApi {
  shared ??= createWorkloadsDeployApi();
  return shared;
}
