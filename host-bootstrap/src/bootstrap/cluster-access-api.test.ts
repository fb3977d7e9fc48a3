/**
 * ClusterAccess reaches the Kubernetes API only through the injected port: built from the
 * first server's k3s.yaml and the reachable server URL, rebuilt after a failed probe (k3s
 * rewrites k3s.yaml when it restarts), and a missing wiring is named at once instead of
 * surfacing as a readiness timeout.
 */
import { describe, expect, it } from 'vitest';
import type { ExecResult, SshConnection } from '../connect/connection.ts';
import type { PrivilegedRunner } from '../privilege/run.ts';
import { ClusterAccess } from './cluster-access.ts';
import { BootstrapError } from './errors.ts';
import type { HostHandle } from './host.ts';
import type { KubeApi, KubeApiFactory, NodeView } from './kube-api.ts';

const result = (stdout: string, code = 0): ExecResult => ({
  stdout,
  stderr: '',
  code,
  signal: undefined,
});

/** A first server whose k3s.yaml says `generation N` (N grows each time k3s restarts). */
function server(address: string): { host: HostHandle; restart(): void } {
  let generation = 1;
  const runner: PrivilegedRunner = {
    mode: 'root',
    pty: false,
    run: (script) =>
      Promise.resolve(
        script.includes('/etc/rancher/k3s/k3s.yaml')
          ? result(`generation ${generation}\n`)
          : result('', 3),
      ),
  };
  const connection: SshConnection = {
    label: address,
    user: 'root',
    exec: () => Promise.resolve(result('')),
    close: () => undefined,
    closed: false,
  };
  return { host: { name: 'first', address, runner, connection }, restart: () => generation++ };
}

describe('ClusterAccess API port', () => {
  it('builds the API from k3s.yaml and the reachable URL, and rebuilds it after a failure', async () => {
    const { host, restart } = server('fd00::5');
    const built: [string, string][] = [];
    let up = true;
    const kubeApi: KubeApiFactory = (yaml, url) => {
      built.push([yaml.trim(), url]);
      const api: KubeApi = {
        ready: () => Promise.resolve(up),
        node: (name): Promise<NodeView | undefined> =>
          up
            ? Promise.resolve({ name, ready: true, labels: {}, runtimeHandlers: ['runc', 'runsc'] })
            : Promise.reject(new Error('connection refused')),
      };
      return api;
    };
    const access = new ClusterAccess(host, 'fd00::5', undefined, { kubeApi });
    expect(await access.ready()).toBe(true);
    expect((await access.node('n1'))?.runtimeHandlers).toEqual(['runc', 'runsc']);
    expect(built).toEqual([['generation 1', 'https://[fd00::5]:6443']]);
    up = false;
    restart();
    expect(await access.node('n1')).toBeUndefined();
    up = true;
    expect(await access.ready()).toBe(true);
    expect(built.map(([yaml]) => yaml)).toEqual(['generation 1', 'generation 2']);
  });

  it('names a run composed without API access instead of waiting into a timeout', async () => {
    const access = new ClusterAccess(server('10.0.0.5').host, '10.0.0.5');
    await expect(access.ready()).rejects.toBeInstanceOf(BootstrapError);
    await expect(access.node('n1')).rejects.toThrow(/no access to the Kubernetes API/);
  });
});
