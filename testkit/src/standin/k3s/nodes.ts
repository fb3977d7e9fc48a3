/**
 * Node objects as k3s's kubelet registers them, written straight into kube-sim's store, plus
 * the node lifecycle rule k3s inherits from kube-controller-manager: no heartbeat for 50 s
 * (`--node-monitor-grace-period`, 50 s since Kubernetes 1.32; k3s keeps the default) makes
 * a node's Ready condition Unknown.
 *
 * @see https://kubernetes.io/docs/reference/node/node-status/
 * @see https://kubernetes.io/docs/reference/labels-annotations-taints/
 * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/ (--node-monitor-grace-period, default 50s)
 * @see https://github.com/kubernetes/kubernetes/pull/126287 (40s → 50s, v1.32)
 */
import type { KubeObject, ObjectStore, ResourceKey } from '../../kube-sim/index.ts';
import { CONTAINERD_VERSION, K3S_VERSION } from '../versions.ts';
import { SIMULATED_KUBELET_ANNOTATION } from '../../kube-sim/sim/model.ts';
import type { ImportedImage } from './containerd/images.ts';
import type { HostFacts } from './facts.ts';

const NODES: ResourceKey = { group: '', version: 'v1', resource: 'nodes' };
export const HEARTBEAT_ANNOTATION = 'testkit.nodeless.dev/stand-in-heartbeat';
/** kube-controller-manager's `--node-monitor-grace-period` default (Kubernetes ≥ 1.32). */
export const GRACE_MS = 50_000;

/** What a node tells the server when it registers or heartbeats. */
export interface NodeRegistration {
  readonly role: 'server' | 'agent';
  readonly etcd: boolean;
  readonly facts: HostFacts;
  readonly labels: readonly string[];
  readonly taints: readonly string[];
  readonly nodeArgs: string;
  readonly nodeIp?: string;
  /** What its containerd imported from k3s's images directory (the kubelet reports them). */
  readonly images?: readonly ImportedImage[];
}

function conditions(now: string, ready: 'True' | 'Unknown', prev?: KubeObject): unknown[] {
  const old =
    (
      prev?.['status'] as
        | { conditions?: Array<{ type: string; status: string; lastTransitionTime: string }> }
        | undefined
    )?.conditions ?? [];
  const since = (type: string, status: string) => {
    const o = old.find((c) => c.type === type);
    return o && o.status === status ? o.lastTransitionTime : now;
  };
  const pressure = (type: string, reason: string, message: string) => ({
    type,
    status: ready === 'True' ? 'False' : 'Unknown',
    lastHeartbeatTime: now,
    lastTransitionTime: since(type, ready === 'True' ? 'False' : 'Unknown'),
    reason: ready === 'True' ? reason : 'NodeStatusUnknown',
    message: ready === 'True' ? message : 'Kubelet stopped posting node status.',
  });
  return [
    pressure(
      'MemoryPressure',
      'KubeletHasSufficientMemory',
      'kubelet has sufficient memory available',
    ),
    pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    pressure('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    {
      type: 'Ready',
      status: ready,
      lastHeartbeatTime: now,
      lastTransitionTime: since('Ready', ready),
      reason: ready === 'True' ? 'KubeletReady' : 'NodeStatusUnknown',
      message:
        ready === 'True'
          ? 'kubelet is posting ready status'
          : 'Kubelet stopped posting node status.',
    },
  ];
}

function parseTaint(t: string): { key: string; value?: string; effect: string } {
  const [kv = '', effect = 'NoSchedule'] = t.split(':');
  const [key = '', value] = kv.split('=');
  return value ? { key, value, effect } : { key, effect };
}

/**
 * The Node `reg`'s kubelet would post now (Ready, heartbeat `now`), on top of `prev`.
 * `annotations` are the backend's own (which engine runs the node's pods).
 */
export function nodeObject(
  reg: NodeRegistration,
  prev: KubeObject | undefined,
  now: Date,
  annotations: Readonly<Record<string, string>>,
): KubeObject {
  const f = reg.facts;
  const name = f.hostname;
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/instance-type': 'k3s',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': 'k3s',
  };
  if (reg.role === 'server') {
    labels['node-role.kubernetes.io/control-plane'] = 'true';
    labels['node-role.kubernetes.io/master'] = 'true';
    if (reg.etcd) labels['node-role.kubernetes.io/etcd'] = 'true';
  }
  for (const l of reg.labels) {
    const [k, v = ''] = l.split('=');
    if (k) labels[k] = v;
  }
  const ip = reg.nodeIp ?? f.addresses[0] ?? '127.0.0.1';
  const ts = now.toISOString();
  const capacity = {
    cpu: String(f.cpus),
    memory: `${f.memoryKi}Ki`,
    pods: '110',
    'ephemeral-storage': '4062912Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
  };
  const node: KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      ...(prev?.metadata ?? {}),
      name,
      labels: { ...(prev?.metadata.labels ?? {}), ...labels },
      annotations: {
        ...(prev?.metadata.annotations ?? {}),
        'k3s.io/hostname': name,
        'k3s.io/internal-ip': ip,
        'k3s.io/node-args': reg.nodeArgs,
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        [HEARTBEAT_ANNOTATION]: ts,
        ...annotations,
      },
    },
    spec: {
      ...((prev?.['spec'] as object | undefined) ?? {}),
      providerID: `k3s://${name}`,
      ...(reg.taints.length ? { taints: reg.taints.map(parseTaint) } : {}),
    },
    status: {
      capacity,
      allocatable: capacity,
      conditions: conditions(ts, 'True', prev),
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: f.machineId,
        systemUUID: f.machineId,
        bootID: '',
        kernelVersion: f.kernelVersion,
        osImage: f.osImage,
        containerRuntimeVersion: CONTAINERD_VERSION,
        kubeletVersion: K3S_VERSION,
        kubeProxyVersion: K3S_VERSION,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      ...(reg.images?.length
        ? { images: reg.images.map((i) => ({ names: [...i.names], sizeBytes: i.sizeBytes })) }
        : {}),
      runtimeHandlers: f.runtimeHandlers.map((h) => ({
        name: h,
        features: { recursiveReadOnlyMounts: true, userNamespaces: false },
      })),
    },
  };
  return node;
}

/** Creates or refreshes the Node for `reg` in kube-sim's store (Ready, heartbeat now). */
export function upsertNode(
  store: ObjectStore,
  reg: NodeRegistration,
  now = new Date(),
): KubeObject {
  const prev = store.get(NODES, undefined, reg.facts.hostname);
  // No real kubelet runs here: kube-sim's simulated sandbox kubelet runs this node's pods.
  const node = nodeObject(reg, prev, now, { [SIMULATED_KUBELET_ANNOTATION]: 'simulated' });
  if (!prev) return store.create(NODES, node);
  const updated = store.update(NODES, {
    ...node,
    metadata: { ...node.metadata, resourceVersion: undefined },
  });
  return store.update(NODES, { ...updated, status: node['status'] }, { subresource: 'status' });
}

/**
 * Marks nodes without a heartbeat for `graceMs` (default {@link GRACE_MS}, or k3s's
 * `kube-controller-manager-arg: node-monitor-grace-period=…`) as Ready=Unknown. Returns their names.
 */
export function markStaleNodes(store: ObjectStore, now = new Date(), graceMs = GRACE_MS): string[] {
  const stale: string[] = [];
  for (const n of store.list(NODES)) {
    const beat = n.metadata.annotations?.[HEARTBEAT_ANNOTATION];
    if (!beat || now.getTime() - Date.parse(beat) < graceMs) continue;
    const conds =
      (n['status'] as { conditions?: Array<{ type: string; status: string }> } | undefined)
        ?.conditions ?? [];
    if (conds.find((c) => c.type === 'Ready')?.status === 'Unknown') continue;
    store.update(
      NODES,
      {
        ...n,
        status: {
          ...(n['status'] as object),
          conditions: conditions(now.toISOString(), 'Unknown', n),
        },
      },
      { subresource: 'status' },
    );
    stale.push(n.metadata.name ?? '');
  }
  return stale;
}

/** `node-monitor-grace-period=<n>(ms|s|m)` from `kube-controller-manager-arg`, in ms. */
export function gracePeriodMs(controllerManagerArgs: readonly string[]): number {
  for (const a of controllerManagerArgs) {
    const m = /^-{0,2}node-monitor-grace-period=(\d+)(ms|s|m)$/.exec(a.trim());
    if (m?.[1] && m[2]) return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
  }
  return GRACE_MS;
}
