/**
 * Endpoints and EndpointSlice controllers for Services with a selector: ready pod IPs under
 * `addresses`, not-ready ones under `notReadyAddresses` (slices: conditions ready/serving/
 * terminating), ports resolved from the Service's targetPort (numbers or container port names).
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
 * @see https://github.com/kubernetes/kubernetes/tree/master/pkg/controller/endpointslice
 */
import type { KubeObject, ResourceKey } from '../../store/types.ts';
import type { Cache } from '../cache.ts';
import { type SimContext } from '../context.ts';
import {
  R,
  clone,
  raw,
  splitKey,
  view,
  type EndpointSlice,
  type Endpoints,
  type Pod,
  type Service,
} from '../model.ts';
import { isDeleting, isReady, isTerminal } from '../pods.ts';
import { canonicalJson } from '../prng.ts';
import { matchesMap } from '../selectors.ts';
import type { WorkQueue } from '../workqueue.ts';
import { ownerRef } from './common.ts';

const MANAGED_BY = 'endpointslice-controller.k8s.io';

export class EndpointsController {
  private readonly pods: Cache;
  private readonly services: Cache;
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: SimContext) {
    this.pods = ctx.cache(R.pods);
    this.services = ctx.cache(R.services);
    this.queue = ctx.queue('endpoints', (key) => this.sync(key));
    this.services.on((_t, o) => this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`));
    this.pods.on((_t, o, old) => {
      const ns = o.metadata.namespace ?? '';
      for (const s of this.services.inNamespace(ns)) {
        const sel = view<Service>(s).spec?.selector;
        if (
          sel &&
          (matchesMap(sel, o.metadata.labels) || (old && matchesMap(sel, old.metadata.labels)))
        )
          this.queue.add(`${ns}/${s.metadata.name}`);
      }
    });
    for (const s of this.services.all())
      this.queue.add(`${s.metadata.namespace}/${s.metadata.name}`);
  }

  private sync(key: string): undefined {
    const { namespace, name } = splitKey(key);
    const so = this.services.get(key);
    const svc = so ? view<Service>(so) : undefined;
    const selector = svc?.spec?.selector;
    // Without a selector the user manages endpoints; a deleted Service's go by garbage collection.
    if (!so || !svc || !selector || Object.keys(selector).length === 0 || !namespace) return;
    const pods = this.pods
      .inNamespace(namespace)
      .map((p) => view<Pod>(p))
      .filter((p) => matchesMap(selector, p.metadata?.labels) && p.status?.podIP && !isTerminal(p))
      .sort((a, b) => (a.status?.podIP ?? '').localeCompare(b.status?.podIP ?? ''));
    const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
    const ports = (svc.spec?.ports ?? []).map((p) => ({
      name: p.name,
      protocol: p.protocol ?? 'TCP',
      target: p.targetPort ?? p.port,
      port: p.port,
    }));
    const resolve = (pod: Pod, target: number | string): number | undefined => {
      if (typeof target === 'number') return target;
      if (/^\d+$/.test(target)) return Number(target);
      for (const c of pod.spec?.containers ?? [])
        for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
      return undefined;
    };
    const first = pods[0];
    const resolvedPorts = first
      ? ports.map((p) => ({
          ...(p.name ? { name: p.name } : {}),
          port: resolve(first, p.target) ?? p.port,
          protocol: p.protocol,
        }))
      : [];
    const address = (p: Pod) => ({
      ip: p.status?.podIP ?? '',
      nodeName: p.spec?.nodeName,
      targetRef: { kind: 'Pod', namespace, name: p.metadata?.name, uid: p.metadata?.uid },
    });
    const live = pods.filter((p) => !isDeleting(p));
    const ready = live.filter((p) => publishNotReady || isReady(p));
    const notReady = live.filter((p) => !(publishNotReady || isReady(p)));
    const subsets = pods.length
      ? [
          {
            ...(ready.length ? { addresses: ready.map(address) } : {}),
            ...(notReady.length ? { notReadyAddresses: notReady.map(address) } : {}),
            ports: resolvedPorts,
          },
        ].filter((s) => s.addresses || s.notReadyAddresses)
      : [];
    const labels: Record<string, string> = { ...so.metadata.labels };
    if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const ep: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace, labels },
      ...(subsets.length ? { subsets } : {}),
    };
    this.put(
      R.endpoints,
      namespace,
      name,
      raw(ep),
      (cur) =>
        canonicalJson(cur.subsets ?? []) === canonicalJson(ep.subsets ?? []) &&
        canonicalJson(cur.metadata.labels ?? {}) === canonicalJson(labels),
    );

    const slice: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${name}-sim`,
        namespace,
        labels: {
          ...labels,
          'kubernetes.io/service-name': name,
          'endpointslice.kubernetes.io/managed-by': MANAGED_BY,
        },
        ownerReferences: [{ ...ownerRef(so), apiVersion: 'v1', kind: 'Service' }],
      },
      addressType: 'IPv4',
      endpoints: pods.map((p) => {
        const terminating = isDeleting(p);
        const r = isReady(p);
        return {
          addresses: [p.status?.podIP ?? ''],
          conditions: { ready: r && !terminating, serving: r, terminating },
          nodeName: p.spec?.nodeName,
          targetRef: { kind: 'Pod', namespace, name: p.metadata?.name, uid: p.metadata?.uid },
        };
      }),
      ports: resolvedPorts,
    };
    this.put(
      R.endpointSlices,
      namespace,
      slice.metadata?.name ?? '',
      raw(slice),
      (cur) =>
        canonicalJson(cur['endpoints'] ?? []) === canonicalJson(slice.endpoints) &&
        canonicalJson(cur['ports'] ?? []) === canonicalJson(slice.ports),
    );
  }

  private put(
    resource: ResourceKey,
    namespace: string,
    name: string,
    desired: KubeObject,
    same: (cur: KubeObject) => boolean,
  ): void {
    const cur = this.ctx.store.get(resource, namespace, name);
    if (!cur) {
      this.ctx.store.create(resource, desired);
      return;
    }
    if (same(cur)) return;
    const next: KubeObject = {
      ...clone(desired),
      metadata: { ...cur.metadata, labels: desired.metadata.labels },
    };
    if (desired.metadata.ownerReferences)
      next.metadata.ownerReferences = desired.metadata.ownerReferences;
    if (!('subsets' in desired)) delete next['subsets'];
    this.ctx.store.update(resource, next);
  }
}
