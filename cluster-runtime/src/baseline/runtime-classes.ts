/**
 * The sandbox RuntimeClasses every Nodeless cluster carries. Each names a containerd runtime
 * handler installed by host-bootstrap, declares the sandbox's fixed per-pod overhead (so the
 * scheduler and the bill count the VM's own cost), and only schedules onto nodes that run
 * that sandbox family.
 *
 * Overheads follow kata-deploy's RuntimeClass manifests (clh/fc 130Mi/250m, qemu 160Mi/250m);
 * gVisor runs no guest kernel and upstream declares no fixed overhead.
 *
 * @see https://kubernetes.io/docs/concepts/containers/runtime-class/
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/
 * @see https://github.com/kata-containers/kata-containers/tree/main/tools/packaging/kata-deploy/runtimeclasses
 * @see https://gvisor.dev/docs/user_guide/containerd/quick_start/
 */
import type { V1RuntimeClass } from '@kubernetes/client-node';

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

const OVERHEAD: Record<Sandbox, { cpu: string; memory: string } | undefined> = {
  'kata-clh': { cpu: '250m', memory: '130Mi' },
  'kata-fc': { cpu: '250m', memory: '130Mi' },
  'kata-qemu': { cpu: '250m', memory: '160Mi' },
  gvisor: undefined,
};

export function runtimeClassFor(sandbox: Sandbox): V1RuntimeClass {
  const overhead = OVERHEAD[sandbox];
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
