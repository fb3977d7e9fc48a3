/**
 * What the YAML editor needs from the backend (`workloads.yaml.*`), as a narrow interface so
 * the dialog can be driven by a fake and the transport changes in one place.
 *
 * @see ../../../backend/src/api/routers/workloads-yaml.ts — the procedures behind it
 */
import type { TRPCClient } from '@trpc/client';
import type {
  AppRouter,
  YamlAnswer,
  YamlApplyAnswer,
  YamlApplyInput,
  YamlDryRunInput,
  YamlGetInput,
  YamlOpened,
} from '@nodeless/backend/api';
import { createTrpc } from './trpc-client.ts';

export interface WorkloadsYamlApi {
  /** Server-side dry run of every object: what would change, or what is refused and where. */
  dryRun(input: YamlDryRunInput): Promise<YamlAnswer>;
  /** All or nothing: applies only when every object passes its dry run. */
  apply(input: YamlApplyInput): Promise<YamlApplyAnswer>;
  /** An existing object as editable YAML with the resourceVersion to apply it against. */
  get(input: YamlGetInput): Promise<YamlOpened>;
}

/** Binds {@link WorkloadsYamlApi} to a tRPC client (share the window's one). */
export function createWorkloadsYamlApi(
  trpc: TRPCClient<AppRouter> = createTrpc(),
): WorkloadsYamlApi {
  const t = trpc.workloads.yaml;
  return {
    dryRun: (input) => t.dryRun.mutate(input),
    apply: (input) => t.applyManifest.mutate(input),
    get: (input) => t.get.query(input),
  };
}
