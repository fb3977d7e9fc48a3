import { describe, expect, it } from 'vitest';
import type { ExecResult, SshConnection } from '../../connect/connection.ts';
import type { PrivilegedRunner } from '../../privilege/run.ts';
import { ClusterAccess } from '../cluster-access.ts';
import type { HostHandle } from '../host.ts';
import type { NodeView } from '../kube-api.ts';
import type { StepContext } from '@nodeless/common';
import { sandboxRuntimeStep } from './sandbox-runtime.ts';

const result = (stdout = '', code = 0): ExecResult => ({
  stdout,
  stderr: '',
  code,
  signal: undefined,
});

/** The node is Ready but advertises only runc: containerd never loaded the runsc handler. */
class RuncOnly extends ClusterAccess {
  override node(name: string): Promise<NodeView | undefined> {
    return Promise.resolve({ name, ready: true, labels: {}, runtimeHandlers: ['runc'] });
  }
}

/**
 * A gVisor host whose template drifted (missing): binaries in place, runsc answers, and after
 * the restart containerd exits on its config, as k3s's journal and containerd.log then show.
 */
function driftedHost(): { host: HostHandle; scripts: string[] } {
  const scripts: string[] = [];
  const runner: PrivilegedRunner = {
    mode: 'root',
    pty: false,
    run: (script) => {
      scripts.push(script);
      if (/^\[ -f .* \] \|\| exit 3/.test(script)) return Promise.resolve(result('', 3));
      if (script.includes('runsc --version'))
        return Promise.resolve(result('runsc version release-20250715.0\nspec: 1.1.0\n'));
      if (script === 'hostname') return Promise.resolve(result('h1\n'));
      if (script === 'date +%s') return Promise.resolve(result('1\n'));
      if (script.startsWith('journalctl -u k3s'))
        return Promise.resolve(result('level=error msg="containerd exited: exit status 1"\n'));
      if (script.startsWith('tail -n 60 /var/lib/rancher/k3s/agent/containerd/containerd.log'))
        return Promise.resolve(
          result('containerd: failed to unmarshal TOML: toml: table runsc already exists\n'),
        );
      return Promise.resolve(result());
    },
  };
  const connection: SshConnection = {
    label: 'h1',
    user: 'admin',
    exec: () => Promise.resolve(result()),
    close: () => undefined,
    closed: false,
  };
  return { host: { name: 'h1', address: '10.0.0.1', runner, connection }, scripts };
}

const ctx: StepContext = {
  signal: new AbortController().signal,
  progress: () => undefined,
  log: () => undefined,
};

describe('sandbox runtime step', () => {
  it('puts a drifted template back, restarts k3s, and names containerd’s refusal instead of waiting', async () => {
    const { host, scripts } = driftedHost();
    const access = new RuncOnly(host, host.address, { timeoutMs: 5_000, intervalMs: 1 });
    const step = sandboxRuntimeStep(host, { sandbox: 'gvisor', role: 'server', access });
    await expect(step.apply(ctx)).rejects.toThrow(
      'containerd on h1 refused its configuration, so k3s cannot register the node: failed to unmarshal TOML: toml: table runsc already exists',
    );
    expect(scripts.some((s) => s.includes('systemctl restart --no-block k3s'))).toBe(true);
  });
});
