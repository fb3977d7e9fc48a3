/**
 * The admission plugins every kube-apiserver runs on a new Pod, in their order:
 * - LimitRanger (defaulting): each container without a request or limit for a resource gets
 *   the namespace's LimitRange `defaultRequest` / `default`, and the pod the
 *   `kubernetes.io/limit-ranger` annotation saying so (min/max are not enforced: see
 *   testkit/README.md, kube-sim);
 * - ServiceAccount: `serviceAccountName` defaults to `default` (mirrored into the deprecated
 *   `serviceAccount`); a missing account is 403; unless automounting is off (pod or account),
 *   a projected `kube-api-access-<5>` volume (token, kube-root-ca.crt, namespace) is mounted
 *   read-only at /var/run/secrets/kubernetes.io/serviceaccount in every container;
 * - Priority: `priority` from the named PriorityClass (403 when there is none), else the global
 *   default class's or 0; `preemptionPolicy` from the class, default PreemptLowerPriority;
 * - DefaultTolerationSeconds: NoExecute tolerations of `node.kubernetes.io/not-ready` and
 *   `unreachable` for 300 s unless the pod tolerates them already;
 * - RuntimeClass: a missing class is 403; the class's `overhead.podFixed` becomes
 *   `spec.overhead` (403 when the pod set a different one, or one without a class overhead);
 *   its `scheduling.nodeSelector` is merged in (403 on a conflicting value) and its
 *   tolerations appended (exact duplicates dropped; upstream also drops tolerations another
 *   one covers; quantities compare as written, upstream compares them semantically).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/admission/limitranger/admission.go (mergePodResourceRequirements)
 * @see https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/admission/serviceaccount/admission.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/admission/priority/admission.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/admission/defaulttolerationseconds/admission.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/admission/runtimeclass/admission.go
 */
import type { MemoryStore } from '../store/memory-store.ts';
import { detailsOf, StoreError, type KubeObject, type ResourceKey } from '../store/types.ts';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

const PODS: ResourceKey = { group: '', version: 'v1', resource: 'pods' };
const SA: ResourceKey = { group: '', version: 'v1', resource: 'serviceaccounts' };
const PC: ResourceKey = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };
const LIMIT_RANGES: ResourceKey = { group: '', version: 'v1', resource: 'limitranges' };
const RC: ResourceKey = { group: 'node.k8s.io', version: 'v1', resource: 'runtimeclasses' };
const MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The token lifetime kube-apiserver projects (1 h plus the 7 s it warns clients with). */
const TOKEN_SECONDS = 3607;

function forbidden(pod: KubeObject, why: string): StoreError {
  const name = pod.metadata.name ?? pod.metadata.generateName ?? '';
  return new StoreError(
    403,
    'Forbidden',
    `pods "${name}" is forbidden: ${why}`,
    detailsOf(PODS, name),
  );
}

function containersOf(spec: Rec): Rec[] {
  return ['initContainers', 'containers'].flatMap((k) =>
    Array.isArray(spec[k]) ? (spec[k] as unknown[]).filter(isRec) : [],
  );
}

/** One container's defaults; returns the annotation phrases (`cpu request for container c`). */
function mergeResources(
  c: Rec,
  defaults: { requests: Rec; limits: Rec },
  prefix: string,
): string[] {
  const resources = isRec(c['resources']) ? c['resources'] : (c['resources'] = {});
  const set = (key: 'requests' | 'limits', from: Rec): string[] => {
    const have = isRec(resources[key]) ? resources[key] : {};
    const added = Object.keys(from).filter((k) => have[k] === undefined);
    for (const k of added) have[k] = from[k];
    if (Object.keys(have).length > 0) resources[key] = have;
    return added.sort();
  };
  const limits = set('limits', defaults.limits);
  const requests = set('requests', defaults.requests);
  const name = String(c['name'] ?? '');
  return [
    ...(requests.length > 0 ? [`${requests.join(', ')} request for ${prefix} ${name}`] : []),
    ...(limits.length > 0 ? [`${limits.join(', ')} limit for ${prefix} ${name}`] : []),
  ];
}

function limitRanger(store: MemoryStore, pod: KubeObject, spec: Rec): void {
  const ns = pod.metadata.namespace ?? '';
  const phrases: string[] = [];
  for (const lr of store.page(LIMIT_RANGES, { namespace: ns }).items) {
    const defaults = { requests: {} as Rec, limits: {} as Rec };
    const items = ((lr['spec'] as Rec | undefined)?.['limits'] ?? []) as unknown[];
    for (const item of items) {
      if (!isRec(item) || item['type'] !== 'Container') continue;
      Object.assign(defaults.requests, isRec(item['defaultRequest']) ? item['defaultRequest'] : {});
      Object.assign(defaults.limits, isRec(item['default']) ? item['default'] : {});
    }
    for (const [list, prefix] of [
      ['containers', 'container'],
      ['initContainers', 'init container'],
    ] as const) {
      const cs = Array.isArray(spec[list]) ? (spec[list] as unknown[]).filter(isRec) : [];
      for (const c of cs) phrases.push(...mergeResources(c, defaults, prefix));
    }
  }
  if (phrases.length > 0)
    pod.metadata.annotations = {
      ...pod.metadata.annotations,
      'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${phrases.join('; ')}`,
    };
}

function serviceAccount(store: MemoryStore, pod: KubeObject, spec: Rec): void {
  const ns = pod.metadata.namespace ?? '';
  const name =
    typeof spec['serviceAccountName'] === 'string' && spec['serviceAccountName'] !== ''
      ? spec['serviceAccountName']
      : 'default';
  spec['serviceAccountName'] = name;
  spec['serviceAccount'] = name;
  const sa = store.getRaw(SA, ns, name);
  if (sa === undefined)
    throw forbidden(
      pod,
      `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`,
    );
  const automount = spec['automountServiceAccountToken'] ?? sa['automountServiceAccountToken'];
  if (automount === false) return;
  const containers = containersOf(spec);
  const mounted = (c: Rec): boolean =>
    Array.isArray(c['volumeMounts']) &&
    (c['volumeMounts'] as unknown[]).some((m) => isRec(m) && m['mountPath'] === MOUNT_PATH);
  if (containers.some(mounted)) return;
  const volume = `kube-api-access-${store.nameSuffix()}`;
  const volumes = Array.isArray(spec['volumes']) ? (spec['volumes'] as unknown[]) : [];
  spec['volumes'] = [
    ...volumes,
    {
      name: volume,
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: TOKEN_SECONDS, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [
                {
                  path: 'namespace',
                  fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
                },
              ],
            },
          },
        ],
        defaultMode: 420,
      },
    },
  ];
  for (const c of containers) {
    const mounts = Array.isArray(c['volumeMounts']) ? (c['volumeMounts'] as unknown[]) : [];
    c['volumeMounts'] = [...mounts, { name: volume, readOnly: true, mountPath: MOUNT_PATH }];
  }
}

function priority(store: MemoryStore, pod: KubeObject, spec: Rec): void {
  const className = spec['priorityClassName'];
  let pc: KubeObject | undefined;
  if (typeof className === 'string' && className !== '') {
    pc = store.getRaw(PC, undefined, className);
    if (pc === undefined) throw forbidden(pod, `no PriorityClass with name ${className} was found`);
  } else pc = store.page(PC).items.find((c) => c['globalDefault'] === true);
  spec['priority'] = typeof pc?.['value'] === 'number' ? pc['value'] : 0;
  spec['preemptionPolicy'] ??= pc?.['preemptionPolicy'] ?? 'PreemptLowerPriority';
  if (pc !== undefined && spec['priorityClassName'] === undefined && pc.metadata.name !== undefined)
    spec['priorityClassName'] = pc.metadata.name;
}

function defaultTolerations(spec: Rec): void {
  const tolerations = Array.isArray(spec['tolerations']) ? (spec['tolerations'] as unknown[]) : [];
  const tolerates = (key: string): boolean =>
    tolerations.some(
      (t) =>
        isRec(t) &&
        (t['effect'] === 'NoExecute' || t['effect'] === undefined || t['effect'] === '') &&
        (t['key'] === key || (t['operator'] === 'Exists' && (t['key'] ?? '') === '')),
    );
  const added = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']
    .filter((key) => !tolerates(key))
    .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }));
  if (added.length > 0) spec['tolerations'] = [...tolerations, ...added];
}

function runtimeClass(store: MemoryStore, pod: KubeObject, spec: Rec): void {
  const className = spec['runtimeClassName'];
  const rc =
    typeof className === 'string' && className !== ''
      ? store.getRaw(RC, undefined, className)
      : undefined;
  if (typeof className === 'string' && className !== '' && rc === undefined)
    throw forbidden(pod, `pod rejected: RuntimeClass "${className}" not found`);
  const fixed = (rc?.['overhead'] as Rec | undefined)?.['podFixed'];
  const own = spec['overhead'];
  const hasOwn = isRec(own) && Object.keys(own).length > 0;
  if (isRec(fixed)) {
    if (hasOwn && JSON.stringify(own) !== JSON.stringify(fixed))
      throw forbidden(
        pod,
        "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead",
      );
    spec['overhead'] = structuredClone(fixed);
  } else if (hasOwn)
    throw forbidden(
      pod,
      'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead',
    );
  const scheduling = isRec(rc?.['scheduling']) ? rc['scheduling'] : undefined;
  if (scheduling === undefined) return;
  const wanted = isRec(scheduling['nodeSelector']) ? scheduling['nodeSelector'] : {};
  const selector = isRec(spec['nodeSelector']) ? spec['nodeSelector'] : undefined;
  if (selector === undefined) {
    if (Object.keys(wanted).length > 0) spec['nodeSelector'] = { ...wanted };
  } else
    for (const [k, v] of Object.entries(wanted)) {
      if (selector[k] !== undefined && selector[k] !== v)
        throw forbidden(
          pod,
          `conflict: runtimeClass.scheduling.nodeSelector[${k}] = ${String(v)}; pod.spec.nodeSelector[${k}] = ${String(selector[k])}`,
        );
      selector[k] = v;
    }
  const extra = Array.isArray(scheduling['tolerations'])
    ? (scheduling['tolerations'] as unknown[])
    : [];
  const merged = [
    ...(Array.isArray(spec['tolerations']) ? (spec['tolerations'] as unknown[]) : []),
  ];
  for (const t of extra)
    if (!merged.some((m) => JSON.stringify(m) === JSON.stringify(t)))
      merged.push(structuredClone(t));
  if (merged.length > 0) spec['tolerations'] = merged;
}

/** Runs the plugins on a Pod being created, in upstream's order (throws 403 StoreErrors). */
export function admitNewPod(store: MemoryStore, pod: KubeObject): void {
  const spec = isRec(pod['spec']) ? pod['spec'] : undefined;
  if (spec === undefined) return;
  limitRanger(store, pod, spec);
  serviceAccount(store, pod, spec);
  priority(store, pod, spec);
  defaultTolerations(spec);
  runtimeClass(store, pod, spec);
}
