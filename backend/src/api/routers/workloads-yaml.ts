/**
 * `workloads.yaml.*` (issue "Workloads"). Procedures reach the cluster through
 * `ctx.workspace.withConnection` so they share its connection and error wording.
 */
import { router } from '../trpc.ts';

export const workloadsYamlRouter = router({});
