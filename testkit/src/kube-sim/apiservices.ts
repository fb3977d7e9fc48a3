/**
 * `apiregistration.k8s.io/v1` APIServices, as kube-apiserver's aggregator registers them: one
 * per served group/version, named `<version>.<group>` (`v1.` for the core group), labelled
 * `kube-aggregator.kubernetes.io/automanaged: onstart` with upstream's priorities, and one per
 * CustomResourceDefinition version (`automanaged: true`, priority 1000/100) for as long as the
 * CRD serves it. All are local (no `spec.service`) and `Available` — kube-sim serves every
 * group itself, `metrics.k8s.io` included (upstream: metrics-server behind the aggregator, see
 * testkit/README.md, kube-sim).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/cmd/kube-apiserver/app/aggregator.go (apiVersionPriorities)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controlplane/apiserver/aggregator.go (DefaultGenericAPIServicePriorities, makeAPIService)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controlplane/controller/crdregistration/crdregistration_controller.go
 * @see https://github.com/kubernetes/kube-aggregator/blob/master/pkg/apis/apiregistration/v1/helper/helpers.go (local Available condition)
 */
import { trackUpdate } from './patch/ssa.ts';
import type { ResourceRegistry } from './registry/registry.ts';
import type { MemoryStore } from './store/memory-store.ts';
import { StoreError, type KubeObject, type ResourceKey } from './store/types.ts';

export const APISERVICES: ResourceKey = {
  group: 'apiregistration.k8s.io',
  version: 'v1',
  resource: 'apiservices',
};
const MANAGED = 'kube-aggregator.kubernetes.io/automanaged';

/** [groupPriorityMinimum, versionPriority] of the built-in group/versions kube-sim serves. */
const PRIORITIES: Readonly<Record<string, readonly [number, number]>> = {
  '/v1': [18000, 1],
  'apps/v1': [17800, 15],
  'events.k8s.io/v1': [17750, 15],
  'authentication.k8s.io/v1': [17700, 15],
  'authorization.k8s.io/v1': [17600, 15],
  'autoscaling/v1': [17500, 15],
  'autoscaling/v2': [17500, 30],
  'batch/v1': [17400, 15],
  'certificates.k8s.io/v1': [17300, 15],
  'networking.k8s.io/v1': [17200, 15],
  'policy/v1': [17100, 15],
  'rbac.authorization.k8s.io/v1': [17000, 15],
  'storage.k8s.io/v1': [16800, 15],
  'apiextensions.k8s.io/v1': [16700, 15],
  'admissionregistration.k8s.io/v1': [16700, 15],
  'scheduling.k8s.io/v1': [16600, 15],
  'coordination.k8s.io/v1': [16500, 15],
  'node.k8s.io/v1': [16300, 15],
  'discovery.k8s.io/v1': [16200, 15],
  'flowcontrol.apiserver.k8s.io/v1': [16100, 21],
  'resource.k8s.io/v1': [16200, 21],
  // metrics-server's APIService (its release manifest's priorities).
  'metrics.k8s.io/v1beta1': [100, 100],
};

function apiService(
  group: string,
  version: string,
  priority: readonly [number, number],
  managed: 'onstart' | 'true',
  now: string,
): KubeObject {
  const o: KubeObject = {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: `${version}.${group}`, labels: { [MANAGED]: managed } },
    spec: {
      ...(group === '' ? {} : { group }),
      version,
      groupPriorityMinimum: priority[0],
      versionPriority: priority[1],
    },
    status: {
      conditions: [
        {
          type: 'Available',
          status: 'True',
          lastTransitionTime: now,
          reason: 'Local',
          message: 'Local APIServices are always available',
        },
      ],
    },
  };
  // Recorded as kube-apiserver's write (status is not tracked, see patch/ssa.ts).
  trackUpdate(undefined, o, 'kube-apiserver', 'apiregistration.k8s.io/v1', now);
  return o;
}

/** Registers the built-in APIServices and follows CRDs; returns a stop function. */
export function startApiServiceRegistration(
  store: MemoryStore,
  registry: ResourceRegistry,
  now: () => string,
): () => void {
  const reconcile = (): void => {
    const wanted = new Map<string, KubeObject>();
    for (const r of registry.all()) {
      if (r.group === APISERVICES.group) continue;
      for (const v of r.versions) {
        const known = PRIORITIES[`${r.group}/${v}`];
        const o =
          r.crd === undefined
            ? known === undefined
              ? undefined
              : apiService(r.group, v, known, 'onstart', now())
            : apiService(r.group, v, [1000, 100], 'true', now());
        if (o !== undefined) wanted.set(o.metadata.name ?? '', o);
      }
    }
    try {
      for (const [name, o] of wanted)
        if (store.getRaw(APISERVICES, undefined, name) === undefined)
          store.createRaw(APISERVICES, o);
      for (const o of store.page(APISERVICES).items) {
        const name = o.metadata.name ?? '';
        if (o.metadata.labels?.[MANAGED] === 'true' && !wanted.has(name))
          store.deleteRaw(APISERVICES, undefined, name);
      }
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
    }
  };
  reconcile();
  return registry.onChange(reconcile);
}
