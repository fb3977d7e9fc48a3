/**
 * `workloads.deploy.namespaces`, `.plan` and `.submit` behind the API: the form checked by common's validator (the same one the
 * renderer runs) plus the tenant-namespace rule, then {@link deployForm} on the cluster's shared
 * connection. Field errors leave as an {@link InputError} (400) keyed `form.<field>`, thrown
 * outside the connection so the workspace does not take them for a cluster failure.
 */
import { validateDeployForm, type DeployForm } from '@nodeless/common';
import { RESOURCES, reservedNamespaceProblem } from '@nodeless/cluster-runtime';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { WorkspaceService } from '../../clusters/workspace-service.ts';
import { InputError } from '../../inventory/errors.ts';
import { deployForm } from './deploy.ts';
import { findLeftovers, leftoverRef } from './leftovers.ts';
import type { DeployNamespacesInput, DeployPlanInput, DeploySubmitInput } from './schema.ts';
import type { DeployAnswer, DeployNamespaces, DeployPlan } from './types.ts';

type Workspace = Pick<WorkspaceService, 'withConnection'>;

/** `{ image: '…' }` → `{ 'form.image': '…' }`; `form` (general) stays `form`. */
function prefixed(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([k, v]) => [k === 'form' ? 'form' : `form.${k}`, v]),
  );
}

/** The form's problems: common's rules, and no system namespace. */
export function formProblems(form: DeployForm): Record<string, string> {
  const errors = validateDeployForm(form);
  const reserved = errors['namespace'] ? undefined : reservedNamespaceProblem(form.namespace);
  if (reserved) errors['namespace'] = reserved;
  return errors;
}

export async function deployNamespaces(
  workspace: Workspace,
  input: DeployNamespacesInput,
  signal?: AbortSignal,
): Promise<DeployNamespaces> {
  return workspace.withConnection(input.clusterId, async (connection) => {
    const list = await connection
      .client()
      .list<KubernetesObject & { status?: { phase?: string } }>(RESOURCES.namespaces, { signal });
    const namespaces = list.items
      .filter((n) => n.status?.phase !== 'Terminating')
      .map((n) => n.metadata?.name ?? '')
      .filter((n) => n !== '' && reservedNamespaceProblem(n) === undefined)
      .sort();
    return { namespaces };
  });
}

/**
 * What deploying `form` would delete (the preview's list). A form whose name or namespace is not
 * (yet) a valid name, or whose namespace does not exist, leaves nothing behind.
 */
export async function deployPlan(
  workspace: Workspace,
  input: DeployPlanInput,
  signal?: AbortSignal,
): Promise<DeployPlan> {
  const form: DeployForm = input.form;
  const problems = formProblems(form);
  if (problems['name'] || problems['namespace']) return { deletions: [] };
  return workspace.withConnection(input.clusterId, async (connection) => {
    const client = connection.client();
    if (!(await client.get(RESOURCES.namespaces, form.namespace, undefined, signal)))
      return { deletions: [] };
    return { deletions: (await findLeftovers(client, form, signal)).map(leftoverRef) };
  });
}

export async function deploySubmit(
  workspace: Workspace,
  input: DeploySubmitInput,
  signal?: AbortSignal,
): Promise<DeployAnswer> {
  const form: DeployForm = input.form;
  const problems = formProblems(form);
  if (Object.keys(problems).length > 0) throw new InputError(prefixed(problems));
  const result = await workspace.withConnection(input.clusterId, (connection) =>
    deployForm(connection.client(), form, { force: input.force, dryRun: input.dryRun, signal }),
  );
  if (result.outcome === 'refused') throw new InputError(prefixed(result.fieldErrors));
  return result;
}
