import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { serverUrl } from '@nodeless/common';
import { mergeKubeconfigs, rewriteK3sKubeconfig } from './k3s-kubeconfig.ts';

// The shape k3s writes to /etc/rancher/k3s/k3s.yaml (certificate data shortened).
const K3S_YAML = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tQ0E=
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: LS0tQ0VSVA==
    client-key-data: LS0tS0VZ
`;

describe('rewriteK3sKubeconfig', () => {
  it('points at the reachable server and names everything after the cluster', () => {
    const out = parse(rewriteK3sKubeconfig(K3S_YAML, 'prod', serverUrl('10.1.2.3')));
    expect(out.clusters).toEqual([
      {
        name: 'prod',
        cluster: { 'certificate-authority-data': 'LS0tQ0E=', server: 'https://10.1.2.3:6443' },
      },
    ]);
    expect(out.users[0].name).toBe('prod-admin');
    expect(out.users[0].user['client-key-data']).toBe('LS0tS0VZ');
    expect(out.contexts).toEqual([
      { name: 'prod', context: { cluster: 'prod', user: 'prod-admin' } },
    ]);
    expect(out['current-context']).toBe('prod');
  });
  it('brackets IPv6 server addresses', () => {
    expect(serverUrl('fd00::5')).toBe('https://[fd00::5]:6443');
    expect(serverUrl('k3s.example.org', 443)).toBe('https://k3s.example.org:443');
  });
  it('refuses something that is not a kubeconfig, naming the field', () => {
    expect(() => rewriteK3sKubeconfig('clusters: 5', 'x', 'https://a:6443')).toThrow(/clusters/);
  });
});

describe('mergeKubeconfigs', () => {
  const prod = rewriteK3sKubeconfig(K3S_YAML, 'prod', 'https://10.0.0.1:6443');
  const lab = rewriteK3sKubeconfig(K3S_YAML, 'lab', 'https://10.0.0.2:6443');
  it('keeps unrelated entries and replaces same-named ones', () => {
    const both = mergeKubeconfigs(prod, lab);
    const moved = rewriteK3sKubeconfig(K3S_YAML, 'prod', 'https://10.0.0.9:6443');
    const out = parse(mergeKubeconfigs(both, moved));
    expect(out.clusters.map((c: { name: string }) => c.name)).toEqual(['lab', 'prod']);
    expect(out.clusters[1].cluster.server).toBe('https://10.0.0.9:6443');
    expect(out['current-context']).toBe('prod');
  });
  it('is idempotent and accepts an empty existing file', () => {
    const once = mergeKubeconfigs('', prod);
    expect(mergeKubeconfigs(once, prod)).toBe(once);
  });
});
