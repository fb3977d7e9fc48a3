/**
 * Pure parts of the smoke test (DESIGN.md §4 step 12): the pod it runs, how its kernel report
 * is judged, and how the pod's events explain a failure.
 *
 * In a Kata microVM the container sees the guest kernel, so `uname -r` differs from the host's;
 * gVisor's Sentry reports a fixed Linux version of its own, which we only report.
 *
 * @see https://github.com/kata-containers/kata-containers/blob/main/docs/how-to/containerd-kata.md
 * @see https://gvisor.dev/docs/user_guide/compatibility/
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { MANAGED_BY, SYSTEM_NAMESPACE } from '../baseline/objects.ts';
import { SANDBOX_NODE_LABEL, sandboxFamily, type Sandbox } from '../baseline/runtime-classes.ts';

export const SMOKE_POD_NAME = 'nodeless-smoke-test';
/** ConfigMap recording the last passing smoke test, so a re-run of a finished plan is a no-op. */
export const SMOKE_RESULT_NAME = 'nodeless-smoke-test-result';
export const SMOKE_CONTAINER = 'uname';
/**
 * The busybox k3s itself ships (local-path-provisioner's helper pod runs it), so an online
 * cluster pulls nothing it would not pull anyway. Airgapped clusters use the tag their bundle's
 * k3s-images list carries instead: see {@link smokeImage}.
 * @see https://github.com/k3s-io/k3s/blob/master/scripts/airgap/image-list.txt
 */
export const DEFAULT_SMOKE_IMAGE = 'docker.io/rancher/mirrored-library-busybox:1.36.1';

/**
 * The image the smoke test runs: the busybox in the airgap images the bundle preloads (its tag
 * follows the k3s release), else {@link DEFAULT_SMOKE_IMAGE}, pulled online.
 */
export function smokeImage(bundleImages: readonly string[] = []): string {
  return (
    // `rancher/library-busybox` before k3s mirrored it as `rancher/mirrored-library-busybox`.
    bundleImages.find((name) => /(^|\/)rancher\/(mirrored-)?library-busybox:[^/]+$/.test(name)) ??
    DEFAULT_SMOKE_IMAGE
  );
}

export function smokeTestPod(sandbox: Sandbox, image: string = DEFAULT_SMOKE_IMAGE): V1Pod {
  const size = { cpu: '50m', memory: '32Mi' };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: SMOKE_POD_NAME,
      namespace: SYSTEM_NAMESPACE,
      labels: { ...MANAGED_BY, 'app.kubernetes.io/component': 'smoke-test' },
      annotations: { 'nodeless.dev/sandbox': sandbox },
    },
    spec: {
      runtimeClassName: sandbox,
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 0,
      enableServiceLinks: false,
      containers: [
        {
          name: SMOKE_CONTAINER,
          image,
          command: ['uname', '-r'],
          // Serverless sizing: requests equal limits (DESIGN.md §5).
          resources: { requests: size, limits: size },
        },
      ],
    },
  };
}

export type SmokeMode = 'microvm' | 'gvisor';

export interface KernelVerdict {
  ok: boolean;
  mode: SmokeMode;
  detail: string;
}

/**
 * Judges the kernel the pod reported. MicroVM mode: it must differ from every host kernel
 * (from the hosts' facts and the node the pod ran on), else the pod was not in a VM.
 */
export function judgeKernel(
  sandbox: Sandbox,
  reported: string,
  hostKernels: readonly string[],
): KernelVerdict {
  const kernel = reported.trim();
  const mode: SmokeMode = sandboxFamily(sandbox) === 'kata' ? 'microvm' : 'gvisor';
  if (kernel === '')
    return { ok: false, mode, detail: 'the smoke test pod printed no kernel release' };
  if (mode === 'gvisor')
    return { ok: true, mode, detail: `gVisor presents kernel ${kernel} to the pod` };
  const hosts = [...new Set(hostKernels.filter((k) => k.trim() !== ''))];
  if (hosts.length === 0)
    return {
      ok: false,
      mode,
      detail: `no host kernel is known to compare the pod's kernel ${kernel} with`,
    };
  if (hosts.includes(kernel))
    return {
      ok: false,
      mode,
      detail: `the pod saw the host kernel ${kernel}: it did not run in a ${sandbox} microVM`,
    };
  return {
    ok: true,
    mode,
    detail: `the ${sandbox} microVM runs kernel ${kernel}, unlike the host (${hosts.join(', ')})`,
  };
}

/** The last line of a log with text (the kernel release `uname -r` printed). */
export function lastLine(log: string): string {
  const lines = log.split('\n').map((l) => l.trim());
  return lines.filter((l) => l !== '').at(-1) ?? '';
}

/** `Warning FailedScheduling: 0/2 nodes are available: …`, oldest first, duplicates folded. */
export function formatEvents(events: readonly CoreV1Event[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const time = (e: CoreV1Event): string =>
    String(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '');
  for (const e of [...events].sort((a, b) => (time(a) < time(b) ? -1 : 1))) {
    const line = `${e.type ?? 'Normal'} ${e.reason ?? ''}: ${e.message ?? ''}`.trim();
    if (seen.has(line)) continue;
    seen.add(line);
    out.push(line);
  }
  return out;
}

/** What to do about a failed smoke test, from the pod's events. */
export function remedyFor(sandbox: Sandbox, eventLines: readonly string[]): string {
  const family = sandboxFamily(sandbox);
  if (eventLines.some((l) => l.includes('FailedScheduling') && /affinity|selector/.test(l)))
    return `no Ready node carries the label ${SANDBOX_NODE_LABEL}=${family}: check that the sandbox runtime step finished on the hosts and that k3s was started with that node label.`;
  if (eventLines.some((l) => l.includes('FailedScheduling')))
    return 'no node has room for the smoke test pod: free capacity or add a host.';
  if (eventLines.some((l) => /FailedCreatePodSandBox|RuntimeHandler/.test(l)))
    return `containerd could not start the ${sandbox} sandbox: check the runtime handler drop-in and \`kata-runtime check\` on the node.`;
  if (eventLines.some((l) => /ErrImagePull|ImagePullBackOff|Failed to pull/.test(l)))
    return 'the smoke test image could not be pulled: make it reachable or preload it (airgap bundle).';
  return 'see the pod events above; `kubectl -n nodeless-system describe pod nodeless-smoke-test` shows more while the step is retried.';
}
