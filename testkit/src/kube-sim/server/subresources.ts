/**
 * Subresources other than `status`: `scale` (autoscaling/v1 Scale), `pods/log` (./pod-log.ts),
 * `pods/binding`, `pods/eviction` (policy/v1 Eviction →
 * delete), `serviceaccounts/token` (TokenRequest), plus SelfSubjectAccessReview and the
 * read-only metrics.k8s.io resources served from the simulation's provider.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/
 * @see https://github.com/kubernetes/api/blob/master/autoscaling/v1/types.go (Scale)
 */
import { notFound } from '../store/memory-store.ts';
import { StoreError, type KubeObject } from '../store/types.ts';
import { type ManagedFieldsEntry } from '../patch/ssa.ts';
import { scaleManagedFields } from '../patch/scale-fields.ts';
import { managerOf } from './field-manager.ts';
import { formatLabelSelector } from './label-selector.ts';
import { applyPatch, patchTypeOf, readDocument, readObject } from './body.ts';
import { nowIso, type Call } from './context.ts';
import { HttpError, sendJson } from './status.ts';

export { handleLog } from './pod-log.ts';

type Rec = Record<string, unknown>;

const SUCCESS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

function parent(c: Call): KubeObject {
  const o = c.ctx.store.getRaw(c.key, c.info.namespace, c.info.name ?? '');
  if (o === undefined) throw notFound(c.key, c.info.name ?? '');
  return o;
}

function scaleOf(o: KubeObject): object {
  const spec = (o['spec'] ?? {}) as Rec;
  const status = (o['status'] ?? {}) as Rec;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: typeof spec['replicas'] === 'number' ? spec['replicas'] : 1 },
    status: {
      replicas: typeof status['replicas'] === 'number' ? status['replicas'] : 0,
      // A ReplicationController's selector is a plain label map.
      selector: formatLabelSelector(
        o.kind === 'ReplicationController' ? { matchLabels: spec['selector'] } : spec['selector'],
      ),
    },
  };
}

export async function handleScale(c: Call): Promise<void> {
  const o = parent(c);
  if (c.info.verb === 'get') return sendJson(c.res, 200, scaleOf(o));
  let scale: KubeObject;
  if (c.info.verb === 'update') scale = await readObject(c.req);
  else if (c.info.verb === 'patch') {
    const type = patchTypeOf(c.req.headers['content-type']);
    if (type === 'apply')
      throw new HttpError(
        415,
        'UnsupportedMediaType',
        'apply is not supported on the scale subresource',
      );
    scale = applyPatch(type, scaleOf(o) as KubeObject, await readDocument(c.req));
  } else throw new HttpError(405, 'MethodNotAllowed', `${c.info.verb} is not supported on scale`);
  const replicas = (scale['spec'] as Rec | undefined)?.['replicas'];
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new HttpError(
      422,
      'Invalid',
      `Scale.autoscaling "${o.metadata.name ?? ''}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    );
  }
  const rv = scale.metadata?.resourceVersion;
  const next = structuredClone(o);
  const was = (scaleOf(o) as { spec: { replicas: number } }).spec.replicas;
  next['spec'] = { ...((next['spec'] as Rec | undefined) ?? {}), replicas };
  const fields = scaleManagedFields(
    (o.metadata.managedFields ?? []) as ManagedFieldsEntry[],
    managerOf(c),
    c.apiVersion,
    was,
    replicas,
  );
  if (fields.length > 0) next.metadata.managedFields = fields;
  if (rv !== undefined && rv !== '') next.metadata.resourceVersion = rv;
  const stored = c.url.searchParams.getAll('dryRun').includes('All')
    ? next
    : c.ctx.store.updateRaw(c.key, next);
  sendJson(c.res, 200, scaleOf(stored));
}

export async function handleBinding(c: Call): Promise<void> {
  const body = await readObject(c.req);
  const target = (body['target'] ?? {}) as Rec;
  const node = typeof target['name'] === 'string' ? target['name'] : '';
  if (node === '')
    throw new HttpError(422, 'Invalid', 'Binding is invalid: target.name: Required value');
  const pod = parent(c);
  const spec = (pod['spec'] ?? {}) as Rec;
  if (typeof spec['nodeName'] === 'string' && spec['nodeName'] !== '') {
    throw new StoreError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on pods/binding "${pod.metadata.name ?? ''}": pod ${pod.metadata.name ?? ''} is already assigned to node "${spec['nodeName']}"`,
    );
  }
  const next = structuredClone(pod);
  next['spec'] = { ...spec, nodeName: node };
  c.ctx.store.updateRaw(c.key, next, { subresource: 'binding' });
  sendJson(c.res, 201, SUCCESS);
}

export async function handleEviction(c: Call): Promise<void> {
  await readDocument(c.req);
  const pod = parent(c);
  c.ctx.store.deleteRaw(c.key, pod.metadata.namespace, pod.metadata.name ?? '', {
    propagationPolicy: 'Background',
  });
  sendJson(c.res, 201, SUCCESS);
}

export async function handleToken(c: Call): Promise<void> {
  const body = await readObject(c.req);
  const sa = parent(c);
  const spec = (body['spec'] ?? {}) as Rec;
  const seconds = typeof spec['expirationSeconds'] === 'number' ? spec['expirationSeconds'] : 3600;
  const exp = Math.floor(Date.now() / 1000) + seconds;
  const token = c.ctx.authn.issueServiceAccountToken({
    namespace: sa.metadata.namespace ?? '',
    name: sa.metadata.name ?? '',
    uid: sa.metadata.uid ?? '',
    exp,
  });
  sendJson(c.res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: {
      name: sa.metadata.name,
      namespace: sa.metadata.namespace,
      creationTimestamp: nowIso(c.ctx),
    },
    spec: {
      audiences: spec['audiences'] ?? ['https://kubernetes.default.svc.cluster.local'],
      expirationSeconds: seconds,
      boundObjectRef: spec['boundObjectRef'] ?? null,
    },
    status: {
      token,
      expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    },
  });
}

export async function handleSelfSubjectAccessReview(c: Call): Promise<void> {
  const body = await readObject(c.req);
  const spec = (body['spec'] ?? {}) as { resourceAttributes?: Rec; nonResourceAttributes?: Rec };
  const ra = spec.resourceAttributes;
  const na = spec.nonResourceAttributes;
  const str = (v: unknown): string | undefined =>
    typeof v === 'string' && v !== '' ? v : undefined;
  const attrs =
    na !== undefined
      ? { verb: str(na['verb']) ?? 'get', path: str(na['path']) ?? '/' }
      : {
          verb: str(ra?.['verb']) ?? 'get',
          apiGroup: str(ra?.['group']) ?? '',
          resource: str(ra?.['resource']) ?? '',
          ...(str(ra?.['subresource']) === undefined
            ? {}
            : { subresource: str(ra?.['subresource']) }),
          ...(str(ra?.['name']) === undefined ? {} : { name: str(ra?.['name']) }),
          ...(str(ra?.['namespace']) === undefined ? {} : { namespace: str(ra?.['namespace']) }),
        };
  const allowed = c.ctx.authz.allowed(c.user, attrs);
  sendJson(c.res, 201, {
    ...body,
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    status: { allowed, ...(allowed ? {} : { reason: '' }) },
  });
}

export function handleMetrics(c: Call): void {
  if (c.info.verb !== 'get' && c.info.verb !== 'list')
    throw new HttpError(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource`,
    );
  const resource = c.key.resource === 'pods' ? 'pods' : 'nodes';
  const provider = c.ctx.metrics();
  const all = provider === undefined ? [] : provider(resource, c.info.namespace);
  const stampIt = (o: KubeObject): KubeObject => ({
    ...o,
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: c.ri.kind,
  });
  if (c.info.name !== undefined) {
    const found = all.find(
      (o) =>
        o.metadata.name === c.info.name &&
        (c.info.namespace === undefined || o.metadata.namespace === c.info.namespace),
    );
    if (found === undefined)
      throw new StoreError(
        404,
        'NotFound',
        `${resource}.metrics.k8s.io "${c.info.name}" not found`,
      );
    return sendJson(c.res, 200, stampIt(found));
  }
  sendJson(c.res, 200, {
    kind: `${c.ri.kind}List`,
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {},
    items: all.map(stampIt),
  });
}
