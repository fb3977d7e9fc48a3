/**
 * events.k8s.io/v1 Events. Upstream serves one Event storage through both APIs, converting on
 * read; kube-sim keeps a converted mirror instead: every core/v1 Event (what the simulation and
 * `kubectl` write) is mirrored into events.k8s.io/v1 with upstream's field mapping, so clients
 * that watch only the maintained API (the product's watch caches) see the same events. The
 * mirror has its own uid and resourceVersion, and writes to events.k8s.io/v1 are not mirrored
 * back to core/v1 (testkit/README.md, "Where kube-sim differs").
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/events/v1/conversion.go
 * @see https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/
 */
import type { MemoryStore } from './store/memory-store.ts';
import type { KubeObject, ResourceKey } from './store/types.ts';

const CORE: ResourceKey = { group: '', version: 'v1', resource: 'events' };
const V1: ResourceKey = { group: 'events.k8s.io', version: 'v1', resource: 'events' };

type Rec = Record<string, unknown>;

/** A core/v1 Event as events.k8s.io/v1 shows it. */
export function toEventsV1(e: KubeObject): KubeObject {
  const source = (e['source'] ?? {}) as Rec;
  const defined = (o: Rec): Rec =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));
  const { uid: _uid, resourceVersion: _rv, managedFields: _mf, ...metadata } = e.metadata;
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata,
    eventTime: e['eventTime'] ?? null,
    ...defined({
      series: e['series'],
      reportingController: e['reportingComponent'] || source['component'],
      reportingInstance: e['reportingInstance'] || source['host'],
      action: e['action'],
      reason: e['reason'],
      regarding: e['involvedObject'],
      related: e['related'],
      note: e['message'],
      type: e['type'],
      deprecatedSource: Object.keys(source).length > 0 ? source : undefined,
      deprecatedFirstTimestamp: e['firstTimestamp'],
      deprecatedLastTimestamp: e['lastTimestamp'],
      deprecatedCount: e['count'],
    }),
  };
}

function mirror(store: MemoryStore, type: string, e: KubeObject): void {
  const ns = e.metadata.namespace;
  const name = e.metadata.name ?? '';
  const old = store.getRaw(V1, ns, name);
  if (type === 'DELETED') {
    if (old !== undefined) store.removeNow(V1, old);
    return;
  }
  const next = toEventsV1(e);
  if (old === undefined) {
    store.createRaw(V1, next);
    return;
  }
  next.metadata = {
    ...next.metadata,
    uid: old.metadata.uid,
    creationTimestamp: old.metadata.creationTimestamp,
  };
  store.replace(V1, next, old);
}

/** Mirrors the events there are, then every change; returns the stop function. */
export function startEventsV1Mirror(store: MemoryStore): () => void {
  for (const e of store.page(CORE).items) {
    if (store.getRaw(V1, e.metadata.namespace, e.metadata.name ?? '') === undefined) {
      mirror(store, 'ADDED', e);
    }
  }
  return store.watchRaw(CORE, (type, e) => {
    if (type !== 'BOOKMARK') mirror(store, type, e);
  });
}
