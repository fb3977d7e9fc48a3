/**
 * The whole API. Its type, {@link AppRouter}, is the contract the renderer imports (type-only)
 * through `@nodeless/backend/api`.
 *
 * @see https://trpc.io/docs/server/routers
 */
import { bootstrapRouter } from './routers/bootstrap.ts';
import { clustersRouter } from './routers/clusters.ts';
import { healthRoute } from './routers/health.ts';
import { hostsRouter } from './routers/hosts.ts';
import { inventoryRouter } from './routers/inventory.ts';
import { meterRouter } from './routers/meter.ts';
import { onboardingRouter } from './routers/onboarding.ts';
import { podsRouter } from './routers/pods.ts';
import { workspaceRouter } from './routers/workspace.ts';
import { tenantsRouter } from './routers/tenants.ts';
import { usageRouter } from './routers/usage.ts';
import { workloadsRouter } from './routers/workloads.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  health: healthRoute,
  inventory: inventoryRouter,
  clusters: clustersRouter,
  hosts: hostsRouter,
  onboarding: onboardingRouter,
  bootstrap: bootstrapRouter,
  workspace: workspaceRouter,
  tenants: tenantsRouter,
  workloads: workloadsRouter,
  pods: podsRouter,
  meter: meterRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;
