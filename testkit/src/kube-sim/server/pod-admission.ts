/**
 * The admission plugins every kube-apiserver runs on a new Pod, in their order:
 * - ServiceAccount: `serviceAccountName` defaults to `default` (mirrored into the deprecated
 *   `serviceAccount`); a missing account is 403; unless automounting is off (pod or account),
 *   a projected `kube-api-access-<5>` volume (token, kube-root-ca.crt, namespace) is mounted
 *   read-only at /var/run/secrets/kubernetes.io/serviceaccount in every container;
 * - Priority: `priority` from the named PriorityClass (403 when there is none), else the global
 *   default class's or 0; `preemptionPolicy` from the class, default PreemptLowerPriority;
 * - DefaultTolerationSeconds: NoExecute tolerations of `node.kubernetes.io/not-ready` and
 *   `unreachable` for 300 s unless the pod tolerates them already.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/admission/serviceaccount/admission.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/admission/priority/admission.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/admission/defaulttolerationseconds/admission.go
 */
import type { MemoryStore } from '../store/memory-store.ts';
import { detailsOf, StoreError, type KubeObject, type ResourceKey } from '../store/types.ts';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

const PODS: ResourceKey = { group: '', version: 'v1', resource: 'pods' };
const SA: ResourceKey = { group: '', version: 'v1', resource: 'serviceaccounts' };
const PC: ResourceKey = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };
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

/** Runs the three plugins on a Pod being created (throws 403 StoreErrors). */
export function admitNewPod(store: MemoryStore, pod: KubeObject): void {
  const spec = isRec(pod['spec']) ? pod['spec'] : undefined;
  if (spec === undefined) return;
  serviceAccount(store, pod, spec);
  priority(store, pod, spec);
  defaultTolerations(spec);
}
