/**
 * The stand-in server's API when its bundle carries the real control plane (DESIGN.md §6):
 * etcd, kube-apiserver on 127.0.0.1:6444 behind the :6443 supervisor (as in k3s), the
 * controller-manager and scheduler, KWOK running the pods of every node, and metrics-server —
 * the binaries k3s embeds, unpacked from the stand-in k3s file into
 * `/var/lib/rancher/k3s/data/<hash>/bin` as k3s unpacks its own.
 *
 * Nodes register as kubelets do: the Node object, then status and a Lease in
 * `kube-node-lease` on every heartbeat. The node lifecycle controller of the real
 * kube-controller-manager — not the stand-in — turns a silent node NotReady after the grace
 * period and taints it. KWOK runs the pods (annotation `kwok.x-k8s.io/node`) but leaves node
 * status and leases to the stand-in's heartbeats, and serves the kubelet API (logs, exec,
 * resource metrics) on the server's :10250; agents forward their own :10250 to it.
 *
 * @see https://docs.k3s.io/architecture
 * @see https://kubernetes.io/docs/concepts/architecture/leases/#node-heart-beats
 * @see https://kubernetes.io/docs/concepts/architecture/nodes/#node-controller
 */
import path from 'node:path';
import {
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Node,
} from '@kubernetes/client-node';
import { launchControlPlane } from '../../control-plane/launch.ts';
import type { CertPair } from '../../pki/pki.ts';
import type { ApiServerBackend } from './apiserver.ts';
import { KUBELET_PORT } from './kubelet-port.ts';
import { nodeObject, type NodeRegistration } from './nodes.ts';

const LEASE_SECONDS = 40;

function isStatus(e: unknown, code: number): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: number }).code === code;
}

/** The name the stand-in's payload gives each control plane binary (kubectl keeps its own). */
export const standinBinaryName = (component: string): string =>
  component === 'kubectl' ? component : `k3s-${component}`;

export async function startControlPlaneBackend(o: {
  binDir: string;
  dataDir: string;
  port: number;
  /** The host's address: Services of our processes point here, KWOK listens here. */
  address: string;
  clientCa: CertPair;
  sans: readonly string[];
  nodeMonitorGracePeriod?: string;
}): Promise<ApiServerBackend> {
  const cp = await launchControlPlane({
    binDir: o.binDir,
    dataDir: o.dataDir,
    // The ports k3s's embedded components use, so the host looks like a k3s server's
    // (`ss -ltn` shows 2379/2380, 10257, 10259; the preflight checks the etcd pair).
    ports: {
      apiserver: o.port,
      etcdClient: 2379,
      etcdPeer: 2380,
      controllerManager: 10257,
      scheduler: 10259,
      metricsServer: 4443,
    },
    network: { address: o.address },
    ca: o.clientCa,
    sans: o.sans,
    kwok: { address: '0.0.0.0', port: KUBELET_PORT, leases: false },
    nodes: 0,
    // One k3s process holds all these ports on a real server (`ss -p` shows k3s-server); here
    // each component is its own process, named k3s-<component> so that tools (and the
    // product's preflight) still see k3s's own processes holding k3s's ports.
    binaryName: standinBinaryName,
    ...(o.nodeMonitorGracePeriod
      ? { tuning: { nodeMonitorGracePeriod: o.nodeMonitorGracePeriod } }
      : {}),
  });
  const kc = new KubeConfig();
  kc.loadFromString(cp.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const leases = kc.makeApiClient(CoordinationV1Api);
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

  const renewLease = async (name: string, now: Date): Promise<void> => {
    const spec = {
      holderIdentity: name,
      leaseDurationSeconds: LEASE_SECONDS,
      // A MicroTime: the API parses exactly six fractional digits.
      renewTime: now.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z') as unknown as Date,
    };
    try {
      await leases.patchNamespacedLease(
        { name, namespace: 'kube-node-lease', body: { spec } },
        merge,
      );
    } catch (e) {
      if (!isStatus(e, 404)) throw e;
      await leases.createNamespacedLease({
        namespace: 'kube-node-lease',
        body: { metadata: { name }, spec },
      });
    }
  };

  const upsertNode = async (reg: NodeRegistration): Promise<void> => {
    const name = reg.facts.hostname;
    const now = new Date();
    const prev = await core.readNode({ name }).catch((e: unknown) => {
      if (isStatus(e, 404)) return undefined;
      throw e;
    });
    const want = nodeObject(reg, prev as never, now, {
      'kwok.x-k8s.io/node': 'fake',
      'metrics.k8s.io/resource-metrics-path': `/metrics/nodes/${name}/metrics/resource`,
    }) as unknown as V1Node;
    if (!prev) {
      const { status: _status, ...body } = want;
      await core.createNode({ body });
    } else {
      await core.patchNode(
        {
          name,
          body: {
            metadata: { labels: want.metadata?.labels, annotations: want.metadata?.annotations },
          },
        },
        merge,
      );
    }
    await core.patchNodeStatus(
      {
        name,
        body: {
          status: {
            ...want.status,
            daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
          },
        },
      },
      merge,
    );
    await renewLease(name, now);
  };

  return {
    name: 'kube-apiserver',
    port: cp.port,
    caPem: cp.caPem,
    issueClientCert: (u, g) => cp.issueClientCert(u, g),
    upsertNode,
    // The real node lifecycle controller does this.
    markStaleNodes: () => [],
    stop: () => cp.stop(),
  };
}

/** Where the stand-in's control plane keeps its state under k3s's server dir. */
export const controlPlaneDir = (serverDir: string): string =>
  path.join(serverDir, 'db', 'control-plane');
