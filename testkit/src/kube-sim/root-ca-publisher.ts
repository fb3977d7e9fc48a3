/**
 * kube-controller-manager's root-ca-cert-publisher: every active namespace holds the ConfigMap
 * `kube-root-ca.crt` with the cluster CA as `ca.crt` and a `kubernetes.io/description`
 * annotation (projected service-account volumes mount it). Deleted, it comes back; edited, its
 * data and annotation are put back; a terminating namespace gets none.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/certificates/rootcacertpublisher/publisher.go
 * @see https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#root-ca-certificate-configmap
 */
import { trackUpdate } from './patch/ssa.ts';
import type { MemoryStore } from './store/memory-store.ts';
import { StoreError, type KubeObject, type ResourceKey } from './store/types.ts';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

/** The manager upstream's writes are recorded under (its user agent's name). */
const MANAGER = 'kube-controller-manager';
const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const NS: ResourceKey = { group: '', version: 'v1', resource: 'namespaces' };
const CM: ResourceKey = { group: '', version: 'v1', resource: 'configmaps' };

/** Brings `namespace`'s kube-root-ca.crt to the published state (syncNamespace). */
function sync(store: MemoryStore, namespace: string, caPem: string): void {
  if (store.namespaceState(namespace) !== 'active') return;
  const cm = store.getRaw(CM, namespace, ROOT_CA_CONFIGMAP);
  try {
    if (cm === undefined) {
      const created: KubeObject = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: ROOT_CA_CONFIGMAP,
          namespace,
          annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION },
        },
        data: { 'ca.crt': caPem },
      };
      trackUpdate(undefined, created, MANAGER, 'v1', now());
      store.createRaw(CM, created);
      return;
    }
    const data = cm['data'] as Record<string, string> | undefined;
    const keys = Object.keys(data ?? {});
    const described = (cm.metadata.annotations?.[DESCRIPTION_ANNOTATION] ?? '') !== '';
    if (keys.length === 1 && data?.['ca.crt'] === caPem && described) return;
    const next: KubeObject = structuredClone(cm);
    next['data'] = { 'ca.crt': caPem };
    next.metadata.annotations = {
      ...next.metadata.annotations,
      [DESCRIPTION_ANNOTATION]: DESCRIPTION,
    };
    trackUpdate(cm, next, MANAGER, 'v1', now());
    store.updateRaw(CM, next);
  } catch (err) {
    // The namespace went away meanwhile, or another writer won: the next event syncs again.
    if (!(err instanceof StoreError)) throw err;
  }
}

/** Publishes the CA into every namespace and keeps it there; returns a stop function. */
export function startRootCaPublisher(store: MemoryStore, caPem: string): () => void {
  for (const ns of store.page(NS).items) sync(store, ns.metadata.name ?? '', caPem);
  const stops = [
    store.watchRaw(NS, (type, ns) => {
      if (type === 'ADDED' || type === 'MODIFIED') sync(store, ns.metadata.name ?? '', caPem);
    }),
    // Selected by name, so other ConfigMaps' writes cost this watch nothing.
    store.watchRaw(
      CM,
      (type, cm) => {
        if (type !== 'ADDED') sync(store, cm.metadata.namespace ?? '', caPem);
      },
      { fieldSelector: `metadata.name=${ROOT_CA_CONFIGMAP}` },
    ),
  ];
  return () => {
    for (const s of stops) s();
  };
}
