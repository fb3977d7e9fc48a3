/**
 * Objects the control plane needs once it serves: the KWOK nodes (registered as a kubelet
 * registers itself; KWOK then keeps their status and leases), and metrics-server's wiring into
 * the aggregation layer (RBAC, the Service and the APIService), as metrics-server's release
 * manifest and k3s's bundled `metrics-server` manifests declare them.
 *
 * @see https://kubernetes.io/docs/reference/node/node-status/
 * @see https://github.com/kubernetes-sigs/metrics-server/blob/master/manifests/base/rbac.yaml
 * @see https://github.com/kubernetes-sigs/metrics-server/blob/master/manifests/base/apiservice.yaml
 * @see https://github.com/k3s-io/k3s/tree/master/manifests/metrics-server
 */
import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { KWOK_HEARTBEAT_ANNOTATION, KWOK_NODE_ANNOTATION } from './kwok-stages.ts';
import { IDENTITIES } from './pki-files.ts';

/** Node label naming the sandbox family (the product's RuntimeClasses schedule by it). */
export const SANDBOX_NODE_LABEL = 'nodeless.dev/sandbox';

export interface NodeShape {
  /** Whole CPUs. */
  readonly cpus: number;
  /** Memory in GiB (integer). */
  readonly memoryGiB: number;
  readonly pods: number;
  /** containerd runtime handlers the node advertises (`status.runtimeHandlers`). */
  readonly runtimeHandlers: readonly string[];
  readonly sandboxFamily: 'kata' | 'gvisor';
}

export const DEFAULT_NODE: NodeShape = {
  cpus: 8,
  memoryGiB: 32,
  pods: 110,
  runtimeHandlers: ['runc', 'kata-clh', 'kata-qemu'],
  sandboxFamily: 'kata',
};

function client(kubeconfig: string): KubernetesObjectApi {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  return KubernetesObjectApi.makeApiClient(kc);
}

function isConflict(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: number }).code === 409;
}

/** Creates each object, or merge-patches the one that exists to what is wanted. */
export async function ensureObjects(
  kubeconfig: string,
  objects: readonly KubernetesObject[],
): Promise<void> {
  const api = client(kubeconfig);
  for (const o of objects) {
    try {
      await api.create(o);
    } catch (e) {
      if (!isConflict(e)) throw e;
      // Exists (a restart on the same data directory, maybe with new ports): bring it to
      // what is wanted.
      await api.patch(o, undefined, undefined, undefined, undefined, PatchStrategy.MergePatch);
    }
  }
}

/** A KWOK-managed node as its kubelet would register it. */
export function kwokNode(name: string, shape: NodeShape): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: {
        [KWOK_NODE_ANNOTATION]: 'fake',
        [KWOK_HEARTBEAT_ANNOTATION]: 'true',
        'node.alpha.kubernetes.io/ttl': '0',
        // metrics-server reads resource metrics from this path on the node's kubelet port.
        'metrics.k8s.io/resource-metrics-path': `/metrics/nodes/${name}/metrics/resource`,
      },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'node.kubernetes.io/instance-type': 'k3s',
        type: 'kwok',
        [SANDBOX_NODE_LABEL]: shape.sandboxFamily,
      },
    },
  } as KubernetesObject;
}

/** The status fields a kubelet reports at registration that KWOK's stages keep as given. */
export function kwokNodeStatus(shape: NodeShape, version: string): Record<string, unknown> {
  const capacity = {
    cpu: String(shape.cpus),
    memory: `${shape.memoryGiB}Gi`,
    pods: String(shape.pods),
    'ephemeral-storage': '100Gi',
  };
  return {
    capacity,
    allocatable: capacity,
    nodeInfo: {
      architecture: 'amd64',
      operatingSystem: 'linux',
      kubeletVersion: version,
      kubeProxyVersion: version,
      containerRuntimeVersion: 'containerd://2.2.3-k3s1 (kwok)',
      kernelVersion: '6.1.0-kwok',
      osImage: 'Debian GNU/Linux 12 (bookworm) (kwok)',
      machineID: '',
      systemUUID: '',
      bootID: '',
    },
    runtimeHandlers: shape.runtimeHandlers.map((name) => ({
      name,
      features: { recursiveReadOnlyMounts: true, userNamespaces: false },
    })),
  };
}

/** Registers `names` as KWOK nodes and sets their capacity and handlers. */
export async function registerNodes(
  kubeconfig: string,
  names: readonly string[],
  shape: NodeShape,
  version: string,
): Promise<void> {
  const api = client(kubeconfig);
  for (const name of names) {
    try {
      await api.create(kwokNode(name, shape));
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
    await patchStatus(kubeconfig, name, kwokNodeStatus(shape, version));
  }
}

/** Merge-patches nodes/<name>/status (the generic object API has no status subresource). */
async function patchStatus(kubeconfig: string, name: string, status: object): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  await kc
    .makeApiClient(CoreV1Api)
    .patchNodeStatus(
      { name, body: { status } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
}

/** metrics-server's RBAC, Service and APIService; it runs as a local process on `port`. */
export function metricsServerObjects(port: number, address: string): KubernetesObject[] {
  type Manifest = KubernetesObject & Record<string, unknown>;
  const user = IDENTITIES.metricsServer.user;
  const subject = [{ kind: 'User', name: user, apiGroup: 'rbac.authorization.k8s.io' }];
  const objects: Manifest[] = [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:metrics-server' },
      rules: [
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'system:aggregated-metrics-reader',
        labels: {
          'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
          'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
          'rbac.authorization.k8s.io/aggregate-to-view': 'true',
        },
      },
      rules: [
        {
          apiGroups: ['metrics.k8s.io'],
          resources: ['pods', 'nodes'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:metrics-server' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'system:metrics-server',
      },
      subjects: subject,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'metrics-server:system:auth-delegator' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'system:auth-delegator',
      },
      subjects: subject,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'metrics-server-auth-reader', namespace: 'kube-system' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'extension-apiserver-authentication-reader',
      },
      subjects: subject,
    },
    // metrics-server is a process, not a pod: a selector-less Service whose endpoint is the
    // process's address — on loopback, the egress proxy's alias for it (egress.ts), since the
    // API refuses loopback endpoints.
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'metrics-server',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'metrics-server' },
      },
      spec: { ports: [{ name: 'https', port: 443, targetPort: port, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'metrics-server-process',
        namespace: 'kube-system',
        labels: { 'kubernetes.io/service-name': 'metrics-server' },
      },
      addressType: 'IPv4',
      ports: [{ name: 'https', port, protocol: 'TCP' }],
      endpoints: [{ addresses: [address], conditions: { ready: true } }],
    },
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io', labels: { 'k8s-app': 'metrics-server' } },
      spec: {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        groupPriorityMinimum: 100,
        versionPriority: 100,
        insecureSkipTLSVerify: true,
        service: { name: 'metrics-server', namespace: 'kube-system', port: 443 },
      },
    },
  ];
  return objects;
}
