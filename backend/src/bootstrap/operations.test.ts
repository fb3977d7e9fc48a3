import { describe, expect, it } from 'vitest';
import { expandHome, installView } from './operations.ts';
import { exportKubeconfigInput } from './schema.ts';

describe('kubeconfig export path', () => {
  it('accepts absolute and ~/ paths, refuses relative ones naming the field', () => {
    const ok = (p: string) => exportKubeconfigInput.safeParse({ clusterId: 'c1', path: p }).success;
    expect(ok('/tmp/k.yaml')).toBe(true);
    expect(ok('~/.kube/lab.yaml')).toBe(true);
    const bad = exportKubeconfigInput.safeParse({ clusterId: 'c1', path: 'k.yaml' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['path']);
    expect(bad.error?.issues[0]?.message).toMatch(/absolute path or start with ~\//);
  });
  it('expands ~ against the desktop user home only', () => {
    expect(expandHome('~/.kube/lab.yaml', '/home/ada')).toBe('/home/ada/.kube/lab.yaml');
    expect(expandHome('~', '/home/ada')).toBe('/home/ada');
    expect(expandHome('/etc/x', '/home/ada')).toBe('/etc/x');
  });
});

describe('install view', () => {
  const row = {
    cluster_id: 'c1',
    server_url: 'https://10.0.0.1:6443',
    sandbox: 'gvisor',
    k3s_version: 'v1.36.3+k3s1',
    nodes: 3,
    members: JSON.stringify({ servers: ['h1'], agents: ['h2', 'h3'] }),
    kubeconfig_secret_id: 's1',
    kubeconfig_sha256: 'abc',
    installed_at: '2030-01-01T00:00:00.000Z',
  };
  it('returns the members the install record keeps, by role', () => {
    expect(installView(row)).toEqual({
      installed: true,
      kubeconfigStored: true,
      serverUrl: 'https://10.0.0.1:6443',
      nodes: 3,
      sandbox: 'gvisor',
      k3sVersion: 'v1.36.3+k3s1',
      members: { servers: ['h1'], agents: ['h2', 'h3'] },
    });
  });
  it('has no members while nothing is installed', () => {
    expect(installView(undefined)).toEqual({ installed: false, kubeconfigStored: false });
    expect(installView({ ...row, installed_at: null }).members).toBeUndefined();
  });
});
