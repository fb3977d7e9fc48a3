/**
 * What happens to every new object created through the API before it is stored: the Pod
 * admission plugins (pod-admission.ts) and the Job strategy's generated selector (which needs
 * the uid, so the uid is drawn here and kept by the store). Upstream's controllers create
 * through the API, so kube-sim's simulated controllers get the same through
 * {@link admittingStore}; direct store writes (benchmark bulk loads, test fixtures) do not.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/batch/job/strategy.go
 */
import { generateJobSelector } from '../registry/job-selector.ts';
import type { MemoryStore } from '../store/memory-store.ts';
import type { KubeObject, ObjectStore, ResourceKey } from '../store/types.ts';
import { admitNewPod } from './pod-admission.ts';

/** Admits `o`, about to be created as `resource`, in place; throws a 403 StoreError to refuse. */
export function admitNew(store: MemoryStore, resource: ResourceKey, o: KubeObject): void {
  if (resource.group === '' && resource.resource === 'pods') admitNewPod(store, o);
  else if (resource.group === 'batch' && resource.resource === 'jobs') {
    o.metadata.uid = store.newUid();
    generateJobSelector(o);
  }
}

/** `store` as the simulated controllers see it: creates go through {@link admitNew}. */
export function admittingStore(store: MemoryStore): ObjectStore {
  return {
    get: (r, ns, name) => store.get(r, ns, name),
    list: (r, options) => store.list(r, options),
    create: (r, object) => {
      const o = structuredClone(object);
      o.metadata ??= {};
      if ((o.metadata.name ?? '') === '' && (o.metadata.generateName ?? '') !== '')
        o.metadata.name = `${o.metadata.generateName ?? ''}${store.nameSuffix()}`;
      admitNew(store, r, o);
      return store.create(r, o);
    },
    update: (r, object, options) => store.update(r, object, options),
    delete: (r, ns, name, options) => store.delete(r, ns, name, options),
    watch: (r, handler, options) => store.watch(r, handler, options),
  };
}
