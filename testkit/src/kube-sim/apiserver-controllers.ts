/**
 * The few controllers that live in kube-apiserver / kube-controller-manager's API side and that
 * kubectl users notice immediately: the `default` ServiceAccount per namespace, legacy
 * service-account token Secrets, CRD establishment (registering served versions), the
 * bootstrap namespaces and `kubernetes` Service, the `kube-root-ca.crt` ConfigMap per namespace
 * (root-ca-publisher.ts) and the aggregator's APIServices (apiservices.ts).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controlplane/controller/kubernetesservice/controller.go
 * @see https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#legacy-serviceaccount-token-cleaner
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
 */
import { startApiServiceRegistration } from './apiservices.ts';
import { trackUpdate } from './patch/ssa.ts';
import type { Authenticator } from './auth/authn.ts';
import type { ResourceRegistry } from './registry/registry.ts';
import { startEventsV1Mirror } from './events-v1-mirror.ts';
import { startRootCaPublisher } from './root-ca-publisher.ts';
import type { MemoryStore } from './store/memory-store.ts';
import { StoreError, type KubeObject, type ResourceKey } from './store/types.ts';

const NS: ResourceKey = { group: '', version: 'v1', resource: 'namespaces' };
const SA: ResourceKey = { group: '', version: 'v1', resource: 'serviceaccounts' };
const SECRET: ResourceKey = { group: '', version: 'v1', resource: 'secrets' };
const SVC: ResourceKey = { group: '', version: 'v1', resource: 'services' };
const CRD: ResourceKey = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
};

const BOOT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const PC: ResourceKey = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };
/**
 * The PriorityClasses kube-apiserver creates at start.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/scheduling/types.go (SystemPriorityClasses)
 */
const SYSTEM_PRIORITY_CLASSES: ReadonlyArray<readonly [string, number, string]> = [
  [
    'system-node-critical',
    2000001000,
    'Used for system critical pods that must not be moved from their current node.',
  ],
  [
    'system-cluster-critical',
    2000000000,
    'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  ],
];

const nowIso = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * `o` as a component writes it: its fields recorded in managedFields under the component's
 * name (`kube-apiserver`, `kube-controller-manager`), as every upstream write is.
 */
function writtenBy(manager: string, o: KubeObject): KubeObject {
  trackUpdate(undefined, o, manager, o.apiVersion ?? 'v1', nowIso());
  return o;
}

function ignoreExists(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof StoreError && (err.code === 409 || err.code === 404))) throw err;
  }
}

/** Starts the controllers; returns a stop function. */
export function startApiControllers(
  store: MemoryStore,
  registry: ResourceRegistry,
  authn: Authenticator,
  caPem: string,
): () => void {
  for (const name of BOOT_NAMESPACES) {
    if (store.getRaw(NS, undefined, name) === undefined) {
      store.createRaw(
        NS,
        writtenBy('kube-apiserver', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
          spec: { finalizers: ['kubernetes'] },
          status: { phase: 'Active' },
        }),
      );
    }
  }
  if (store.getRaw(SVC, 'default', 'kubernetes') === undefined) {
    store.createRaw(
      SVC,
      writtenBy('kube-apiserver', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'kubernetes',
          namespace: 'default',
          labels: { component: 'apiserver', provider: 'kubernetes' },
        },
        spec: {
          type: 'ClusterIP',
          clusterIP: '10.43.0.1',
          clusterIPs: ['10.43.0.1'],
          ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
          sessionAffinity: 'None',
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          internalTrafficPolicy: 'Cluster',
        },
        status: { loadBalancer: {} },
      }),
    );
  }
  for (const [name, value, description] of SYSTEM_PRIORITY_CLASSES) {
    if (store.getRaw(PC, undefined, name) === undefined)
      ignoreExists(() =>
        store.createRaw(
          PC,
          writtenBy('kube-apiserver', {
            apiVersion: 'scheduling.k8s.io/v1',
            kind: 'PriorityClass',
            metadata: { name },
            value,
            description,
            preemptionPolicy: 'PreemptLowerPriority',
          }),
        ),
      );
  }
  for (const ns of store.page(NS).items) ensureDefaultSa(store, ns);
  for (const crd of store.page(CRD).items) establish(store, registry, crd);

  const stops = [
    startEventsV1Mirror(store),
    startRootCaPublisher(store, caPem),
    startApiServiceRegistration(store, registry, nowIso),
    store.watchRaw(NS, (type, ns) => {
      if (type === 'ADDED') ensureDefaultSa(store, ns);
    }),
    store.watchRaw(SECRET, (type, secret) => {
      if (type === 'ADDED' || type === 'MODIFIED') fillLegacyToken(store, authn, secret, caPem);
    }),
    store.watchRaw(CRD, (type, crd) => {
      if (type === 'DELETED') registry.unregisterCrd(crd.metadata.name ?? '');
      else establish(store, registry, crd);
    }),
  ];
  return () => {
    for (const s of stops) s();
  };
}

function ensureDefaultSa(store: MemoryStore, ns: KubeObject): void {
  const name = ns.metadata.name ?? '';
  if (
    ns.metadata.deletionTimestamp !== undefined ||
    store.getRaw(SA, name, 'default') !== undefined
  )
    return;
  ignoreExists(() =>
    store.createRaw(SA, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: name },
    }),
  );
}

function fillLegacyToken(
  store: MemoryStore,
  authn: Authenticator,
  secret: KubeObject,
  caPem: string,
): void {
  if (secret['type'] !== 'kubernetes.io/service-account-token') return;
  const data = (secret['data'] ?? {}) as Record<string, string>;
  if (data['token'] !== undefined) return;
  const ns = secret.metadata.namespace ?? '';
  const saName = secret.metadata.annotations?.['kubernetes.io/service-account.name'] ?? '';
  const sa = store.getRaw(SA, ns, saName);
  if (sa === undefined) return;
  const token = authn.issueServiceAccountToken({
    namespace: ns,
    name: saName,
    uid: sa.metadata.uid ?? '',
    secret: secret.metadata.name ?? '',
  });
  const next = structuredClone(secret);
  next.metadata.annotations = {
    ...next.metadata.annotations,
    'kubernetes.io/service-account.uid': sa.metadata.uid ?? '',
  };
  next['data'] = {
    ...data,
    token: Buffer.from(token).toString('base64'),
    'ca.crt': Buffer.from(caPem).toString('base64'),
    namespace: Buffer.from(ns).toString('base64'),
  };
  ignoreExists(() => store.updateRaw(SECRET, next));
}

function establish(store: MemoryStore, registry: ResourceRegistry, crd: KubeObject): void {
  if (crd.metadata.deletionTimestamp !== undefined) return;
  registry.registerCrd(crd);
  const status = (crd['status'] ?? {}) as {
    conditions?: Array<{ type?: string; status?: string }>;
  };
  if ((status.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True'))
    return;
  const spec = (crd['spec'] ?? {}) as { names?: object };
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const next = structuredClone(crd);
  next['status'] = {
    acceptedNames: spec.names ?? {},
    storedVersions: (
      (crd['spec'] as { versions?: Array<{ name?: string; storage?: boolean }> }).versions ?? []
    )
      .filter((v) => v.storage === true)
      .map((v) => v.name ?? ''),
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        reason: 'NoConflicts',
        message: 'no conflicts found',
        lastTransitionTime: now,
      },
      {
        type: 'Established',
        status: 'True',
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
        lastTransitionTime: now,
      },
    ],
  };
  ignoreExists(() => store.updateRaw(CRD, next, { subresource: 'status' }));
}
