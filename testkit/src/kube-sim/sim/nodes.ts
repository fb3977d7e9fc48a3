/**
 * Simulated nodes: Node objects that say they are simulated (name, label, kubelet and runtime
 * versions, OS image), capacity/allocatable, a Ready condition, taints, and cheap lease renewals
 * in `kube-node-lease` (one timer for all nodes, as the node-lease heartbeat of every kubelet).
 *
 * @see https://kubernetes.io/docs/reference/node/node-status/
 * @see https://kubernetes.io/docs/concepts/architecture/leases/#node-heart-beats
 */
import type { Taint } from './model.ts';
import type { SimTimer } from '../clock.ts';
import { StoreError } from '../store/types.ts';
import { ensure, type SimContext } from './context.ts';
import {
  R,
  SIMULATED_LABEL,
  clone,
  isoTime,
  microTime,
  raw,
  view,
  type Lease,
  type Node,
} from './model.ts';

/** What a simulated node looks like; every field has a default. */
export interface NodeSpecInput {
  name?: string;
  /** CPU capacity, e.g. `'8'`. */
  cpu?: string;
  /** Memory capacity, e.g. `'32Gi'`. */
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export const KUBELET_VERSION = 'v1.36.3-sim';
export const RUNTIME_VERSION = 'containerd://1.7.27-sim';
const LEASE_SECONDS = 40;

export interface NodeManagerOptions {
  count: number;
  template?: NodeSpecInput;
  leaseRenewMs?: number;
}

/** Creates and heartbeats simulated nodes; addNode/removeNode change the pool at run time. */
export class NodeManager {
  private readonly names: string[] = [];
  private nextIndex = 1;
  private timer: SimTimer | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: SimContext,
    private readonly options: NodeManagerOptions,
  ) {}

  start(): void {
    for (let i = 0; i < this.options.count; i++) this.add({});
    this.scheduleRenewal();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.ctx.clock.clearTimeout(this.timer);
  }

  /** Creates a node (and its lease); returns its name. */
  add(spec: NodeSpecInput): string {
    const t = { ...this.options.template, ...spec };
    const index = this.nextIndex++;
    const name = t.name ?? `sim-node-${index}`;
    const now = this.ctx.clock.now();
    const capacity = {
      cpu: t.cpu ?? '8',
      memory: t.memory ?? '32Gi',
      pods: String(t.pods ?? 110),
      'ephemeral-storage': '100Gi',
    };
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'beta.kubernetes.io/arch': 'amd64',
          'node.kubernetes.io/instance-type': 'k3s',
          [SIMULATED_LABEL]: 'true',
          ...t.labels,
        },
        annotations: {
          'nodeless.dev/simulated': 'This node is simulated by kube-sim; no workload runs on it.',
        },
      },
      spec: {
        podCIDR: podCidr(index),
        podCIDRs: [podCidr(index)],
        providerID: `kube-sim://${name}`,
        ...(t.taints?.length ? { taints: t.taints } : {}),
        ...(t.unschedulable ? { unschedulable: true } : {}),
      },
      status: {
        capacity,
        allocatable: { ...capacity },
        conditions: [
          cond(
            'MemoryPressure',
            'False',
            'KubeletHasSufficientMemory',
            'kubelet has sufficient memory available',
            now,
          ),
          cond(
            'DiskPressure',
            'False',
            'KubeletHasNoDiskPressure',
            'kubelet has no disk pressure',
            now,
          ),
          cond(
            'PIDPressure',
            'False',
            'KubeletHasSufficientPID',
            'kubelet has sufficient PID available',
            now,
          ),
          cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status (simulated)', now),
        ],
        addresses: [
          { type: 'InternalIP', address: nodeIp(index) },
          { type: 'Hostname', address: name },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: `sim${index.toString(16).padStart(29, '0')}`,
          systemUUID: `00000000-0000-0000-0000-${index.toString(16).padStart(12, '0')}`,
          bootID: `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`,
          kernelVersion: '6.1.0-sim',
          osImage: 'Simulated node (kube-sim), no real OS',
          containerRuntimeVersion: RUNTIME_VERSION,
          kubeletVersion: KUBELET_VERSION,
          kubeProxyVersion: KUBELET_VERSION,
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    };
    const created = this.ctx.store.create(R.nodes, raw(node));
    // The API ignores status on create for most resources; write it through the subresource.
    const withStatus = clone(created);
    withStatus.status = node.status;
    try {
      this.ctx.store.update(R.nodes, withStatus, { subresource: 'status' });
    } catch (e) {
      if (!(e instanceof StoreError && e.code === 409)) throw e;
    }
    this.names.push(name);
    this.renew(name, created.metadata.uid ?? '');
    return name;
  }

  /** Deletes a node and its lease. Pods bound to it are failed by the kubelet (pod GC). */
  remove(name: string): void {
    const i = this.names.indexOf(name);
    if (i >= 0) this.names.splice(i, 1);
    for (const [res, ns] of [
      [R.leases, 'kube-node-lease'],
      [R.nodes, undefined],
    ] as const) {
      try {
        this.ctx.store.delete(res, ns, name);
      } catch (e) {
        if (!(e instanceof StoreError && e.code === 404)) throw e;
      }
    }
  }

  get nodeNames(): readonly string[] {
    return this.names;
  }

  private scheduleRenewal(): void {
    if (this.stopped) return;
    this.timer = this.ctx.clock.setTimeout(() => {
      for (const name of this.names) {
        try {
          this.renew(name);
        } catch (e) {
          this.ctx.error(`lease ${name}`, e);
        }
      }
      this.scheduleRenewal();
    }, this.options.leaseRenewMs ?? 10_000);
  }

  private renew(name: string, uid?: string): void {
    const store = this.ctx.store;
    const existing = store.get(R.leases, 'kube-node-lease', name);
    const now = microTime(this.ctx.clock.now());
    if (existing) {
      const lease = view<Lease>(clone(existing));
      lease.spec = { ...lease.spec, renewTime: now };
      store.update(R.leases, raw(lease));
      return;
    }
    const nodeUid = uid ?? store.get(R.nodes, undefined, name)?.metadata.uid;
    if (!nodeUid) return;
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        namespace: 'kube-node-lease',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: nodeUid }],
      },
      spec: { holderIdentity: name, leaseDurationSeconds: LEASE_SECONDS, renewTime: now },
    };
    ensure(store, R.leases, raw(lease));
  }
}

function cond(type: string, status: string, reason: string, message: string, now: number) {
  return {
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: isoTime(now),
    lastTransitionTime: isoTime(now),
  };
}

/**
 * k3s's default cluster CIDR 10.42.0.0/16 holds 256 /24 node ranges; further nodes spill into
 * 10.100+ (10.43/16 is k3s's service CIDR).
 */
export function podCidr(index: number): string {
  const block = Math.floor(index / 256);
  return `10.${block === 0 ? 42 : 99 + block}.${index % 256}.0/24`;
}

export function nodeIp(index: number): string {
  return `172.20.${Math.floor(index / 250)}.${(index % 250) + 2}`;
}
