/**
 * What happens to every new object before it is stored, whoever creates it: the Pod admission
 * plugins (pod-admission.ts) and the Job strategy's generated selector (which needs the uid, so
 * the uid is drawn here and kept by the store).
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/batch/job/strategy.go
 */
import { generateJobSelector } from '../registry/job-selector.ts';
import type { MemoryStore } from '../store/memory-store.ts';
import type { KubeObject, ResourceKey } from '../store/types.ts';
import { admitNewPod } from './pod-admission.ts';

export function admitNew(store: MemoryStore, resource: ResourceKey, o: KubeObject): void {
  if (resource.group === '' && resource.resource === 'pods') admitNewPod(store, o);
  else if (resource.group === 'batch' && resource.resource === 'jobs') {
    o.metadata.uid = store.newUid();
    generateJobSelector(o);
  }
}
