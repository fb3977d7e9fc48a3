/**
 * Sandbox runtime on one host (DESIGN.md §4 phase 9), after k3s runs there. The containerd
 * files (handler template, runsc options, kata-fc's thin pool) were written by the k3s node
 * step before k3s first started, so this step normally changes nothing on the host: it checks
 * the staged binaries, runs the runtime's own check (`kata-runtime check`, or
 * `runsc --version`), puts back a containerd file that drifted (restarting k3s only when the
 * template changed), and waits for the Node to advertise the handlers in
 * `status.runtimeHandlers` (what the kubelet got from containerd).
 *
 * `kata-runtime check` failing means the host cannot start microVMs (no VT-x/AMD-V, no
 * /dev/kvm, no vhost modules). That fails the step, with the remedy of choosing gVisor: a
 * microVM sandbox that cannot start microVMs is not a sandbox worth pretending about.
 *
 * @see https://github.com/kata-containers/kata-containers/blob/main/src/runtime/cmd/kata-runtime/kata-check.go
 * @see https://gvisor.dev/docs/user_guide/install/ — `runsc --version` verifies the install
 * @see https://gvisor.dev/docs/architecture_guide/platforms/ — systrap, the default, needs no KVM
 * @see https://kubernetes.io/docs/reference/node/node-status/#runtime-handlers
 */
import { waitFor, type ClusterAccess } from '../cluster-access.ts';
import { BootstrapError } from '../errors.ts';
import { probe, root, tail, type HostHandle } from '../host.ts';
import type { CheckResult, Step } from '@nodeless/common';
import { containerdDown, containerdRefusal } from './containerd-failure.ts';
import { handlerOf, handlersFor, type Sandbox } from './containerd-template.ts';
import { nodeName } from './k3s-node.ts';
import { unitName } from './paths.ts';
import { ensureSandboxFiles, sandboxFilesMissing } from './sandbox-files.ts';

export interface SandboxOptions {
  readonly sandbox: Sandbox;
  readonly role: 'server' | 'agent';
  readonly access: ClusterAccess;
}

const KATA_RUNTIME = '/opt/kata/bin/kata-runtime';

async function runtimeCheck(
  host: HostHandle,
  sandbox: Sandbox,
): Promise<{ ok: boolean; output: string }> {
  const script =
    sandbox === 'gvisor'
      ? '/usr/local/bin/runsc --version && [ -x /usr/local/bin/containerd-shim-runsc-v1 ]'
      : `${KATA_RUNTIME} check 2>&1`;
  const r = await probe(host, script, 60_000);
  const output = `${r.stdout}${r.stderr}`;
  // gVisor has no `check` command: a runsc that starts and names itself is its health check
  // (the default systrap platform needs no KVM).
  const named = sandbox !== 'gvisor' || /^runsc version \S+/m.test(r.stdout);
  return { ok: r.code === 0 && named, output };
}

export function sandboxRuntimeStep(host: HostHandle, o: SandboxOptions): Step {
  const handlers = handlersFor(o.sandbox).map(handlerOf);
  const unit = unitName(o.role);
  const binaries =
    o.sandbox === 'gvisor'
      ? ['/usr/local/bin/runsc', '/usr/local/bin/containerd-shim-runsc-v1']
      : [KATA_RUNTIME, '/opt/kata/bin/containerd-shim-kata-v2'];

  let cachedName: string | undefined;
  const advertised = async (): Promise<string[] | undefined> => {
    cachedName ??= await nodeName(host);
    const node = await o.access.node(cachedName);
    if (!node?.ready) return undefined;
    return handlers.every((h) => node.runtimeHandlers.includes(h))
      ? node.runtimeHandlers
      : undefined;
  };

  /** Why the runtime's own check failed (its last lines), or undefined when it passed. */
  const runtimeVerdict = async (): Promise<string | undefined> => {
    const rc = await runtimeCheck(host, o.sandbox);
    if (rc.ok) return undefined;
    return tail(rc.output, 3);
  };

  const check = async (): Promise<CheckResult> => {
    const missing: string[] = [];
    const bins = await probe(host, binaries.map((b) => `[ -x ${b} ]`).join(' && '));
    if (bins.code !== 0) missing.push(`${binaries.join(', ')} (stage the artifacts)`);
    const files = await sandboxFilesMissing(host, o.sandbox);
    if (files.length > 0) missing.push(...files);
    else if (!(await advertised())) missing.push(`node advertising ${handlers.join(', ')}`);
    if (missing.length === 0 && (await runtimeVerdict()) !== undefined)
      missing.push('a passing runtime check');
    return missing.length === 0
      ? { satisfied: true, detail: `${o.sandbox} ready (${handlers.join(', ')})` }
      : { satisfied: false, detail: `Will set up: ${missing.join(', ')}` };
  };

  return {
    key: `sandbox-runtime@${host.name}`,
    phase: 'sandbox-runtime',
    host: host.name,
    title: `Sandbox runtime (${o.sandbox}) on ${host.name}`,
    check,
    apply: async (ctx) => {
      const files = await probe(host, binaries.map((b) => `[ -x ${b} ]`).join(' && '));
      if (files.code !== 0) {
        throw new BootstrapError(`The ${o.sandbox} runtime files are missing on ${host.name}.`, {
          host: host.name,
          remedy: 'Use a bundle (or online source) that carries them, then Resume.',
        });
      }
      const failed = await runtimeVerdict();
      if (failed !== undefined) {
        throw new BootstrapError(`${host.name} cannot run ${o.sandbox} sandboxes: ${failed}`, {
          host: host.name,
          remedy:
            o.sandbox === 'gvisor'
              ? 'Check the runsc binary on the host.'
              : 'Enable VT-x/AMD-V and /dev/kvm (and load vhost_vsock, vhost_net), or choose the gVisor sandbox.',
        });
      }
      const since = (await probe(host, 'date +%s')).stdout.trim();
      const { templateChanged } = await ensureSandboxFiles(host, o.sandbox, (l) => ctx.log(l));
      if (templateChanged) {
        // containerd reads its config at start only: restart k3s (as the k3s docs say).
        ctx.log(`the containerd template changed; restarting ${unit}`);
        await root(host, `Restarting ${unit}`, `systemctl restart --no-block ${unit}`);
      }
      ctx.progress(0, 1, `Waiting for ${host.name} to advertise ${handlers.join(', ')}`);
      await waitFor(
        o.access.wait,
        `${host.name} to advertise the ${handlers.join(', ')} handlers`,
        async () => {
          const now = await advertised();
          if (now || !templateChanged) return now;
          // After a restart, containerd may refuse the new template: say so, do not wait.
          const j = await probe(
            host,
            `journalctl -u ${unit} --since @${since} --no-pager -o cat | tail -n 40`,
          );
          if (containerdDown(o.access.scrub(j.stdout)))
            throw await containerdRefusal(host, (t) => o.access.scrub(t));
          return undefined;
        },
      );
    },
    verify: check,
  };
}
