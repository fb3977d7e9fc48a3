/**
 * Deploy from a form: common's `deployObjects` (the very function the preview renders) applied
 * with server-side apply, field manager `nodeless`, namespace first. Nothing half-done: every
 * object is first dry-run (`dryRun=All`, all admission and validation, nothing stored), plus a
 * dry run of one pod of the template (the refusals only a pod meets: Pod Security, quota, the
 * serverless sizing) and the quota projection for all replicas; only when all pass is anything
 * applied. `force` is off unless the user chose "Apply anyway", so a field another manager owns
 * (`kubectl scale`, `kubectl apply --server-side`) is a conflict naming field and manager.
 *
 * A new namespace is the one thing that cannot be dry-run across: the API server refuses a
 * namespaced object (even a dry run) in a namespace that does not exist. So a new namespace is
 * dry-run, then created (empty), then the rest is dry-run in it; if the rest is refused, the
 * empty namespace stays and the next deploy reuses it (applying a Namespace is idempotent).
 *
 * What an earlier deploy of the app made and this form no longer produces (the Service once
 * Expose is No, see leftovers.ts) is deleted last, once everything else was applied, and the
 * answer lists it; a dry run lists what would go.
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  DEPLOY_NAME_LABEL,
  deployObjects,
  formFieldInMessage,
  formFieldOfPath,
  type DeployForm,
  type DeployObject,
  type DeployPathKind,
} from '@nodeless/common';
import { RESOURCES, type KubeClient } from '@nodeless/cluster-runtime';
import { deleteLeftovers, findLeftovers, leftoverRef, type Leftover } from './leftovers.ts';
import { quotaShortfall, type PodLike, type QuotaLike } from './quota.ts';
import { refusalOf, type Refusal } from './status.ts';
import type { DeployAnswer, DeployConflict, DeployedObject } from './types.ts';

const QUOTA = { apiVersion: 'v1', kind: 'ResourceQuota' };

export interface DeployOptions {
  force?: boolean | undefined;
  dryRun?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

/** The answer, or the form fields the server refused (keyed by form field; `form` = general). */
export type DeployResult =
  DeployAnswer | { outcome: 'refused'; fieldErrors: Record<string, string> };

const refOf = (o: DeployObject): DeployedObject => ({
  kind: o.kind,
  name: o.metadata.name,
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
});

/** Collects refusals and conflicts over every check, so the user sees them all at once. */
class Findings {
  readonly fieldErrors: Record<string, string> = {};
  readonly conflicts: DeployConflict[] = [];
  constructor(private readonly form: DeployForm) {}

  error(field: string | undefined, message: string): void {
    this.fieldErrors[field ?? 'form'] ??= message;
  }

  refusal(kind: DeployPathKind, name: string, r: Refusal): void {
    for (const c of r.conflicts) {
      const field = formFieldOfPath(kind, c.path, this.form);
      if (kind === 'Pod') continue; // a dry-run pod owns nothing
      this.conflicts.push({
        kind: kind,
        name,
        path: c.path,
        manager: c.manager,
        ...(c.subresource ? { subresource: c.subresource } : {}),
        ...(field ? { field } : {}),
      });
    }
    for (const c of r.causes) {
      const field = c.field
        ? formFieldOfPath(kind, c.field, this.form)
        : formFieldInMessage(kind, c.message, this.form);
      this.error(field, c.field && field ? c.message : r.message);
    }
    if (r.causes.length === 0 && r.conflicts.length === 0) {
      this.error(this.placeAdmission(kind, r.message), r.message);
    }
  }

  /** Admission messages without causes: quota → size, else the path the message names. */
  private placeAdmission(kind: DeployPathKind, message: string): string | undefined {
    if (/exceeded quota/.test(message)) return 'size';
    return formFieldInMessage(kind, message, this.form);
  }

  get refused(): boolean {
    return Object.keys(this.fieldErrors).length > 0;
  }
}

/** One pod of the Deployment's template, to dry-run what only pods meet. */
function podOf(deployment: DeployObject): PodLike & KubernetesObject {
  const template = (deployment.spec?.['template'] ?? {}) as {
    metadata?: { labels?: Record<string, string> };
    spec?: unknown;
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${deployment.metadata.name}-dry-run`.slice(0, 63),
      namespace: deployment.metadata.namespace ?? '',
      labels: template.metadata?.labels ?? {},
    },
    spec: template.spec,
  } as PodLike & KubernetesObject;
}

async function dryRunInto(
  client: KubeClient,
  findings: Findings,
  objects: readonly DeployObject[],
  o: DeployOptions,
  existing: boolean,
): Promise<void> {
  for (const obj of objects) {
    try {
      await client.apply(obj as KubernetesObject, {
        force: o.force ?? false,
        dryRun: true,
        signal: o.signal,
      });
    } catch (e) {
      const r = refusalOf(e);
      if (!r) throw e;
      findings.refusal(obj.kind, obj.metadata.name, r);
    }
  }
  const deployment = objects.find((x) => x.kind === 'Deployment');
  if (deployment) await checkPods(client, findings, deployment, o, existing);
}

/** The dry-run pod and the quota projection for every replica. */
async function checkPods(
  client: KubeClient,
  findings: Findings,
  deployment: DeployObject,
  o: DeployOptions,
  existing: boolean,
): Promise<void> {
  const ns = deployment.metadata.namespace ?? '';
  const name = deployment.metadata.name;
  let admitted: PodLike;
  try {
    admitted = await client.apply<PodLike & KubernetesObject>(podOf(deployment), {
      dryRun: true,
      signal: o.signal,
    });
  } catch (e) {
    const r = refusalOf(e);
    if (!r) throw e;
    // No pod at 0 replicas; and an update's one extra pod may not fit a quota its own pods
    // fill: the projection below judges replicas against what other pods use.
    const replicas = Number((deployment.spec as { replicas?: number }).replicas ?? 1);
    const quotaOnly = /exceeded quota/.test(r.message);
    if (!(quotaOnly && (existing || replicas === 0))) findings.refusal('Pod', name, r);
    return;
  }
  const [quotas, current] = await Promise.all([
    client.list<QuotaLike & KubernetesObject>(QUOTA, { namespace: ns, signal: o.signal }),
    existing
      ? client.list<PodLike & KubernetesObject>(RESOURCES.pods, {
          namespace: ns,
          labelSelector: `${DEPLOY_NAME_LABEL}=${name}`,
          signal: o.signal,
        })
      : Promise.resolve({ items: [] }),
  ]);
  const replicas = Number((deployment.spec as { replicas?: number }).replicas ?? 1);
  const short = quotaShortfall(quotas.items, admitted, replicas, current.items);
  if (short) findings.error(short.field, short.message);
}

/**
 * Checks and (unless `dryRun`) applies the form's objects. The form must already be valid
 * (common's `validateDeployForm`).
 */
export async function deployForm(
  client: KubeClient,
  form: DeployForm,
  o: DeployOptions = {},
): Promise<DeployResult> {
  const objects = deployObjects(form);
  const namespace = objects.find((x) => x.kind === 'Namespace');
  const rest = objects.filter((x) => x.kind !== 'Namespace');
  const findings = new Findings(form);
  const nsExists =
    (await client.get(RESOURCES.namespaces, form.namespace, undefined, o.signal)) !== undefined;
  if (!nsExists && !namespace) {
    return {
      outcome: 'refused',
      fieldErrors: { namespace: 'does not exist: pick an existing one, or choose to create it' },
    };
  }
  const existing =
    nsExists &&
    (await client.get(RESOURCES.deployments, form.name, form.namespace, o.signal)) !== undefined;
  const leftovers = nsExists ? await findLeftovers(client, form, o.signal) : [];
  await dryRunInto(client, findings, namespace ? [namespace] : [], o, false);
  if (nsExists) await dryRunInto(client, findings, rest, o, existing);
  const verdict = (): DeployResult | undefined => {
    if (findings.refused) return { outcome: 'refused', fieldErrors: findings.fieldErrors };
    if (findings.conflicts.length > 0)
      return { outcome: 'conflict', conflicts: findings.conflicts };
    return undefined;
  };
  const early = verdict();
  if (early) return early;
  const answer = (
    outcome: 'applied' | 'checked',
    unchecked: DeployObject[],
    deletions: DeployedObject[] = [],
  ): DeployAnswer => ({
    outcome,
    objects: objects.map(refOf),
    workload: { kind: 'Deployment', namespace: form.namespace, name: form.name },
    unchecked: unchecked.map(refOf),
    deletions,
  });
  if (o.dryRun) return answer('checked', nsExists ? [] : rest, leftovers.map(leftoverRef));

  // Something may change between the dry run and the apply (another manager takes a field):
  // the server's answer is placed like a dry run's, naming what was already applied.
  const applied: DeployObject[] = [];
  const apply = async (obj: DeployObject): Promise<boolean> => {
    try {
      await client.apply(obj as KubernetesObject, { force: o.force ?? false, signal: o.signal });
      applied.push(obj);
      return true;
    } catch (e) {
      const r = refusalOf(e);
      if (!r) throw e;
      findings.refusal(obj.kind, obj.metadata.name, r);
      return false;
    }
  };
  if (namespace && !(await apply(namespace))) return verdict() ?? answer('applied', []);
  if (!nsExists) {
    await dryRunInto(client, findings, rest, o, false);
    const late = verdict();
    if (late) return late;
  }
  for (const obj of rest) if (!(await apply(obj))) break;
  const refused = verdict();
  if (refused) return refused;
  const deleted = await deleteAll(client, findings, leftovers, o.signal);
  return verdict() ?? answer('applied', [], deleted);
}

/** Deletes the leftovers; a refusal (RBAC) goes on the field that dropped the object. */
async function deleteAll(
  client: KubeClient,
  findings: Findings,
  leftovers: readonly Leftover[],
  signal: AbortSignal | undefined,
): Promise<DeployedObject[]> {
  try {
    return await deleteLeftovers(client, leftovers, signal);
  } catch (e) {
    const r = refusalOf(e);
    if (!r) throw e;
    const field = leftovers.some((l) => l.kind === 'Service') ? 'expose' : 'form';
    findings.error(field, `everything else is applied, but the old objects stay: ${r.message}`);
    return [];
  }
}
