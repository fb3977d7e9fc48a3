/**
 * `workloads.yaml.*` (issue "Workloads"): `dryRun` a multi-document manifest (server-side
 * apply with dryRun=All and fieldValidation=Strict, per object created/changed/unchanged with
 * a diff, refusals at their line), `applyManifest` it all or nothing, and `get` an existing object to
 * edit (its YAML and the resourceVersion a later apply is checked against). Procedures reach
 * the cluster through `ctx.workspace.withConnection` so they share its connection and error
 * wording.
 *
 * @see ../../workloads/yaml/service.ts
 */
import { TRPCError } from '@trpc/server';
import { yamlApplyInput, yamlDryRunInput, yamlGetInput } from '../../workloads/yaml/schema.ts';
import {
  applyManifest,
  dryRunManifest,
  openObject,
  type YamlRunOptions,
} from '../../workloads/yaml/service.ts';
import { procedure, router } from '../trpc.ts';

type RunInput = (typeof yamlDryRunInput)['_output'];

const runOptions = (input: RunInput, signal: AbortSignal | undefined): YamlRunOptions => ({
  ...(input.force === undefined ? {} : { force: input.force }),
  ...(input.edit ? { edit: input.edit } : {}),
  ...(input.overwrite === undefined ? {} : { overwrite: input.overwrite }),
  ...(signal ? { signal } : {}),
});

export const workloadsYamlRouter = router({
  dryRun: procedure
    .input(yamlDryRunInput)
    .mutation(({ ctx, input, signal }) =>
      ctx.workspace.withConnection(input.clusterId, (connection) =>
        dryRunManifest(connection.client(), input.text, runOptions(input, signal)),
      ),
    ),
  // `apply` is a name tRPC reserves (its client is a Proxy where `.apply` is Function's).
  applyManifest: procedure
    .input(yamlApplyInput)
    .mutation(({ ctx, input, signal }) =>
      ctx.workspace.withConnection(input.clusterId, (connection) =>
        applyManifest(connection.client(), input.text, runOptions(input, signal)),
      ),
    ),
  get: procedure.input(yamlGetInput).query(({ ctx, input, signal }) =>
    ctx.workspace.withConnection(input.clusterId, async (connection) => {
      const opened = await openObject(connection.client(), input.ref, signal);
      if (!opened) {
        const where = input.ref.namespace ? ` in namespace ${input.ref.namespace}` : '';
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `${input.ref.kind} ${input.ref.name}${where} does not exist (any more).`,
        });
      }
      return opened;
    }),
  ),
});
