/**
 * The sandbox RuntimeClasses every Nodeless cluster carries. Each names a containerd runtime
 * handler installed by host-bootstrap, declares the sandbox's fixed per-pod overhead (so the
 * scheduler and the bill count the VM's own cost), and only schedules onto nodes that run
 * that sandbox family.
 * The overhead table is also the one host-bootstrap's capacity map counts (backend wires it).
 *
 * Overheads follow kata-deploy's RuntimeClass manifests (clh/fc 130Mi/250m, qemu 160Mi/250m:
 * `kata-qemu` carries `memory: "160Mi"` upstream today, not 320Mi);
 * gVisor runs no guest kernel and upstream declares no fixed overhead.
 *
 * @see https://kubernetes.io/docs/concepts/containers/runtime-class/
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/
 * @see https://github.com/kata-containers/kata-containers/blob/main/tools/packaging/kata-deploy/runtimeclasses/kata-runtimeClasses.yaml — podFixed per handler
 * @see https://github.com/kata-containers/kata-containers/blob/main/tools/packaging/kata-deploy/helm-chart/kata-deploy/templates/runtimeclasses.yaml — same values in the chart
 * @see https://gvisor.dev/docs/user_guide/containerd/quick_start/
 */
import type { V1RuntimeClass } from '@kubernetes/client-node';
import { MIB, type ResourceAmount } from '@nodeless/common';

/** The sandboxes Nodeless installs; each is also the containerd runtime handler name. */
export const SANDBOXES = ['kata-clh', 'kata-qemu', 'kata-fc', 'gvisor'] as const;
export type Sandbox = (typeof SANDBOXES)[number];

/** Node label host-bootstrap sets (k3s `node-label`) naming the sandbox family a node runs. */
export const SANDBOX_NODE_LABEL = 'nodeless.dev/sandbox';

export type SandboxFamily = 'kata' | 'gvisor';

export function sandboxFamily(sandbox: Sandbox): SandboxFamily {
  return sandbox === 'gvisor' ? 'gvisor' : 'kata';
}

/** containerd runtime handler per sandbox (gVisor's shim registers as `runsc`). */
export function runtimeHandler(sandbox: Sandbox): string {
  return sandbox === 'gvisor' ? 'runsc' : sandbox;
}

/**
 * Per-pod overhead by sandbox (millicores, bytes): the one table both the RuntimeClasses and host-bootstrap's
 * capacity map (wired in by backend) use. gVisor is 0: it runs no guest kernel, upstream
 * declares no fixed overhead, and the Sentry's memory is accounted inside the pod's cgroup.
 */
export const RUNTIME_OVERHEAD: Readonly<Record<Sandbox, ResourceAmount>> = {
  'kata-clh': { cpuMilli: 250, memoryBytes: 130 * MIB },
  'kata-fc': { cpuMilli: 250, memoryBytes: 130 * MIB },
  'kata-qemu': { cpuMilli: 250, memoryBytes: 160 * MIB },
  gvisor: { cpuMilli: 0, memoryBytes: 0 },
};

/** `podFixed` in the manifests' notation (`250m`, `130Mi`); none for a zero overhead. */
function podFixed(o: ResourceAmount): { cpu: string; memory: string } | undefined {
  if (o.cpuMilli === 0 && o.memoryBytes === 0) return undefined;
  return { cpu: `${o.cpuMilli}m`, memory: `${o.memoryBytes / MIB}Mi` };
}

/** The RuntimeClass of one sandbox, with its fixed overhead from {@link RUNTIME_OVERHEAD}. */
export function runtimeClassFor(sandbox: Sandbox): V1RuntimeClass {
  const overhead = podFixed(RUNTIME_OVERHEAD[sandbox]);
  return {
    apiVersion: 'node.k8s.io/v1',
    kind: 'RuntimeClass',
    metadata: {
      name: sandbox,
      labels: { 'app.kubernetes.io/managed-by': 'nodeless' },
    },
    handler: runtimeHandler(sandbox),
    ...(overhead ? { overhead: { podFixed: overhead } } : {}),
    scheduling: { nodeSelector: { [SANDBOX_NODE_LABEL]: sandboxFamily(sandbox) } },
  };
}

/**
 * The RuntimeClasses a cluster gets: every handler of the installed family (a Kata host has
 * all three Kata hypervisor configs; kata-fc only where a devmapper pool exists).
 */
export function baselineRuntimeClasses(installed: readonly Sandbox[]): V1RuntimeClass[] {
  return [...new Set(installed)].map(runtimeClassFor);
}
