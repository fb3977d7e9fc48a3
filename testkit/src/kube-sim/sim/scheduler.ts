/**
 * The scheduler: binds Pending pods without a nodeName to a node that fits (NodeUnschedulable,
 * TaintToleration, NodeAffinity/nodeSelector, NodeResourcesFit filters, in upstream's order),
 * preferring the least allocated node. Pods that fit nowhere stay Pending with
 * PodScheduled=False/Unschedulable and a FailedScheduling event, and are retried when capacity
 * changes (a pod leaves, a node or RuntimeClass changes), after a 1 s backoff like upstream's
 * unschedulable queue.
 *
 * Allocation is tallied per node incrementally (pod uid → node, request), so a decision costs
 * O(nodes), never O(pods).
 *
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/
 * @see https://github.com/kubernetes/kubernetes/tree/master/pkg/scheduler/framework/plugins
 */
import type { V1NodeSelectorTerm, V1Toleration } from '@kubernetes/client-node';
import type { SimTimer } from '../clock.ts';
import type { KubeObject } from '../store/types.ts';
import type { Cache } from './cache.ts';
import type { SimContext } from './context.ts';
import {
  R,
  clone,
  isoTime,
  keyOf,
  raw,
  view,
  type Node,
  type Pod,
  type RuntimeClass,
  type Taint,
} from './model.ts';
import { isDeleting, isTerminal, podRequests, type Requests } from './pods.ts';
import { bytes, milliCpu } from './quantity.ts';
import { matchesMap, matchesNodeSelectorTerms, untoleratedTaint } from './selectors.ts';
import type { WorkQueue } from './workqueue.ts';

interface NodeInfo {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  allocatable: Requests & { pods: number };
  used: Requests & { pods: number };
}

const SOURCE = { component: 'default-scheduler' };
const RETRY_MS = 1000;

export class Scheduler {
  private readonly nodes = new Map<string, NodeInfo>();
  /** pod uid → where it is accounted. */
  private readonly bound = new Map<string, { node: string; req: Requests }>();
  private readonly unschedulable = new Set<string>();
  private retryTimer: SimTimer | undefined;
  private readonly pods: Cache;
  private readonly runtimeClasses: Cache;
  private readonly queue: WorkQueue;
  /** Bindings made (for benchmarks). */
  bindings = 0;

  constructor(private readonly ctx: SimContext) {
    this.pods = ctx.cache(R.pods);
    this.runtimeClasses = ctx.cache(R.runtimeClasses);
    const nodes = ctx.cache(R.nodes);
    this.queue = ctx.queue('scheduler', (key) => this.schedule(key));
    nodes.on((type, o) =>
      type === 'DELETED' ? this.nodes.delete(o.metadata.name ?? '') : this.upsertNode(o),
    );
    for (const n of nodes.all()) this.upsertNode(n);
    this.pods.on((type, o) => this.onPod(type, o));
    for (const p of this.pods.all()) this.onPod('ADDED', p);
    this.runtimeClasses.on(() => this.capacityChanged());
    ctx.onStop(() => {
      if (this.retryTimer) ctx.clock.clearTimeout(this.retryTimer);
    });
  }

  /** Requests currently accounted on a node (tests, metrics). */
  usage(node: string): (Requests & { pods: number }) | undefined {
    return this.nodes.get(node)?.used;
  }

  get pendingUnschedulable(): number {
    return this.unschedulable.size;
  }

  private upsertNode(o: KubeObject): void {
    const n = view<Node>(o);
    const name = n.metadata?.name ?? '';
    const a = n.status?.allocatable ?? n.status?.capacity ?? {};
    const taints = [...(n.spec?.taints ?? [])];
    // The node lifecycle controller turns these states into taints; the scheduler sees taints.
    if (n.spec?.unschedulable)
      taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready && ready.status !== 'True')
      taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
    const prior = this.nodes.get(name);
    this.nodes.set(name, {
      name,
      labels: n.metadata?.labels ?? {},
      taints,
      allocatable: {
        cpu: milliCpu(a['cpu']),
        memory: bytes(a['memory']),
        pods: Number(a['pods'] ?? 110),
      },
      used: prior?.used ?? { cpu: 0, memory: 0, pods: 0 },
    });
    this.capacityChanged();
  }

  private onPod(type: string, o: KubeObject): void {
    const pod = view<Pod>(o);
    const uid = pod.metadata?.uid ?? '';
    const key = keyOf(pod);
    if (type === 'DELETED' || isTerminal(pod)) {
      this.unschedulable.delete(key);
      if (this.release(uid)) this.capacityChanged();
      return;
    }
    const nodeName = pod.spec?.nodeName;
    if (nodeName) {
      this.unschedulable.delete(key);
      if (!this.bound.has(uid))
        this.account(uid, nodeName, podRequests(pod, this.runtimeClassOf(pod)));
      return;
    }
    if (isDeleting(pod)) return;
    const schedulerName = pod.spec?.schedulerName;
    if (schedulerName && schedulerName !== 'default-scheduler') return;
    if (!this.unschedulable.has(key)) this.queue.add(key);
  }

  private account(uid: string, node: string, req: Requests): void {
    this.bound.set(uid, { node, req });
    const info = this.nodes.get(node);
    if (!info) return;
    info.used.cpu += req.cpu;
    info.used.memory += req.memory;
    info.used.pods += 1;
  }

  private release(uid: string): boolean {
    const b = this.bound.get(uid);
    if (!b) return false;
    this.bound.delete(uid);
    const info = this.nodes.get(b.node);
    if (info) {
      info.used.cpu -= b.req.cpu;
      info.used.memory -= b.req.memory;
      info.used.pods -= 1;
    }
    return true;
  }

  private capacityChanged(): void {
    if (this.unschedulable.size === 0 || this.retryTimer) return;
    this.retryTimer = this.ctx.clock.setTimeout(() => {
      this.retryTimer = undefined;
      for (const key of this.unschedulable) this.queue.add(key);
      this.unschedulable.clear();
    }, RETRY_MS);
  }

  private runtimeClassOf(pod: Pod): RuntimeClass | undefined {
    const name = pod.spec?.runtimeClassName;
    const rc = name ? this.runtimeClasses.get(name) : undefined;
    return rc ? view<RuntimeClass>(rc) : undefined;
  }

  private schedule(key: string): undefined {
    const o = this.pods.get(key);
    if (!o) return;
    const pod = view<Pod>(o);
    if (pod.spec?.nodeName || isDeleting(pod) || isTerminal(pod)) return;
    const rc = this.runtimeClassOf(pod);
    const req = podRequests(pod, rc);
    const nodeSelector = { ...pod.spec?.nodeSelector, ...rc?.scheduling?.nodeSelector };
    const tolerations: V1Toleration[] = [
      ...(pod.spec?.tolerations ?? []),
      ...(rc?.scheduling?.tolerations ?? []),
    ];
    const terms: V1NodeSelectorTerm[] | undefined =
      pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        ?.nodeSelectorTerms;
    const reasons = new Map<string, number>();
    const note = (r: string): void => void reasons.set(r, (reasons.get(r) ?? 0) + 1);
    let best: NodeInfo | undefined;
    let bestScore = -Infinity;
    for (const n of this.nodes.values()) {
      const taint = n.taints.length > 0 ? untoleratedTaint(n.taints, tolerations) : undefined;
      if (taint) {
        note(
          taint.key === 'node.kubernetes.io/unschedulable'
            ? 'node(s) were unschedulable'
            : `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`,
        );
        continue;
      }
      if (
        !matchesMap(nodeSelector, n.labels) ||
        !matchesNodeSelectorTerms(terms, n.name, n.labels)
      ) {
        note("node(s) didn't match Pod's node affinity/selector");
        continue;
      }
      const freeCpu = n.allocatable.cpu - n.used.cpu;
      const freeMem = n.allocatable.memory - n.used.memory;
      const tooMany = n.used.pods + 1 > n.allocatable.pods;
      const noCpu = req.cpu > freeCpu;
      const noMem = req.memory > freeMem;
      if (tooMany) note('Too many pods');
      if (noCpu) note('Insufficient cpu');
      if (noMem) note('Insufficient memory');
      if (tooMany || noCpu || noMem) continue;
      // LeastAllocated scoring: prefer the node with the largest free share after placement.
      const score =
        (n.allocatable.cpu > 0 ? (freeCpu - req.cpu) / n.allocatable.cpu : 0) +
        (n.allocatable.memory > 0 ? (freeMem - req.memory) / n.allocatable.memory : 0);
      if (score > bestScore) {
        best = n;
        bestScore = score;
      }
    }
    if (best) {
      this.bind(o, best, req);
      return undefined;
    }
    this.unschedulable.add(key);
    const parts = [...reasons.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([r, c]) => `${c} ${r}`);
    const message = `0/${this.nodes.size} nodes are available${parts.length ? `: ${parts.join(', ')}` : ''}.`;
    this.markUnschedulable(o, message);
  }

  private bind(o: KubeObject, node: NodeInfo, req: Requests): void {
    const pod = view<Pod>(clone(o));
    pod.spec = { ...pod.spec, containers: pod.spec?.containers ?? [], nodeName: node.name };
    // As the binding subresource would: only spec.nodeName changes; a stale copy gets a 409.
    const bound = this.ctx.store.update(R.pods, raw(pod), { subresource: 'binding' });
    // The watch may already have delivered the bound pod (synchronous stores); count it once.
    if (!this.bound.has(bound.metadata.uid ?? ''))
      this.account(bound.metadata.uid ?? '', node.name, req);
    this.pods.assume(bound);
    this.bindings++;
    const m = bound.metadata;
    this.ctx.events.record(
      bound,
      'Normal',
      'Scheduled',
      `Successfully assigned ${m.namespace}/${m.name} to ${node.name}`,
      SOURCE,
    );
  }

  private markUnschedulable(o: KubeObject, message: string): void {
    const pod = view<Pod>(clone(o));
    const conds = pod.status?.conditions ?? [];
    const prior = conds.find((c) => c.type === 'PodScheduled');
    if (prior?.status !== 'False' || prior.message !== message) {
      const now = isoTime(this.ctx.clock.now());
      const next = {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message,
        lastProbeTime: undefined,
        lastTransitionTime: now,
      };
      delete next.lastProbeTime;
      pod.status = {
        ...pod.status,
        phase: 'Pending',
        conditions: [...conds.filter((c) => c.type !== 'PodScheduled'), next],
      };
      this.pods.assume(this.ctx.store.update(R.pods, raw(pod), { subresource: 'status' }));
    }
    this.ctx.events.record(o, 'Warning', 'FailedScheduling', message, SOURCE);
  }
}
