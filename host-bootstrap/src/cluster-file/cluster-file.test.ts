import { describe, expect, it } from 'vitest';
import { formatFieldErrors, parseClusterFile, resolveFileHosts } from './parse.ts';

const GOOD = `
apiVersion: nodeless.dev/v1alpha1
kind: Cluster
metadata:
  name: lab
spec:
  hosts:
    - ssh: { address: 10.0.0.11, user: admin, keyPath: ~/.ssh/id_ed25519, passphraseEnv: KEY_PP }
      role: server
    - ssh:
        address: 10.0.0.12
        port: 2222
        user: ops
        passwordEnv: OPS_PW
        bastion: { address: gw.example.org, user: jump }
      role: agent
      sudo: password
      sudoPasswordEnv: OPS_SUDO
  sandbox: microvm
`;

describe('cluster file', () => {
  it('parses a valid file with defaults', () => {
    const r = parseClusterFile(GOOD);
    if (!r.ok) throw new Error(formatFieldErrors(r.errors));
    expect(r.file.spec.sandbox).toBe('microvm');
    expect(r.file.spec.hosts[0]?.sudo).toBe('passwordless');
    const hosts = resolveFileHosts(r.file, { KEY_PP: 'pp', OPS_PW: 'pw', OPS_SUDO: 'sd' });
    if (!hosts.ok) throw new Error('unexpected');
    expect(hosts.hosts[1]).toMatchObject({
      role: 'agent',
      target: {
        host: '10.0.0.12',
        port: 2222,
        user: 'ops',
        jump: [{ host: 'gw.example.org', user: 'jump' }],
      },
      secrets: { password: 'pw' },
      sudoPassword: 'sd',
    });
    expect(hosts.hosts[0]?.secrets).toEqual({ passphrase: 'pp' });
  });

  it('reports field-level errors with paths', () => {
    const bad = GOOD.replace('port: 2222', 'port: 70000')
      .replace('role: agent', 'role: worker')
      .replace('name: lab', 'name: Lab_1')
      .replace('sudoPasswordEnv: OPS_SUDO', 'colour: blue');
    const r = parseClusterFile(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = formatFieldErrors(r.errors);
    expect(text).toContain('spec.hosts[1].ssh.port: must be between 1 and 65535');
    expect(text).toContain('spec.hosts[1].role: must be "server" or "agent"');
    expect(text).toContain('metadata.name: must be a DNS label');
    expect(text).toContain('spec.hosts[1]: unknown field colour');
  });

  it('refuses inline secrets and requires sudoPasswordEnv for sudo: password', () => {
    const r = parseClusterFile(
      GOOD.replace('passwordEnv: OPS_PW', 'password: hunter2').replace(
        'sudoPasswordEnv: OPS_SUDO',
        '',
      ),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = formatFieldErrors(r.errors);
    expect(text).toContain('spec.hosts[1].ssh.password: secrets are not allowed in the file');
    expect(text).toContain('spec.hosts[1].sudoPasswordEnv: is required when sudo is "password"');
    expect(text).not.toContain('hunter2');
  });

  it('reports YAML syntax errors and missing env vars', () => {
    const y = parseClusterFile('spec: [unclosed');
    expect(y.ok).toBe(false);
    const r = parseClusterFile(GOOD);
    if (!r.ok) throw new Error('unexpected');
    const h = resolveFileHosts(r.file, {});
    expect(h.ok).toBe(false);
    if (h.ok) return;
    expect(formatFieldErrors(h.errors)).toContain(
      'spec.hosts[0].ssh.passphraseEnv: environment variable KEY_PP is not set',
    );
  });

  it('refuses k3s before v1.36 naming spec.k3s.version; accepts the pinned release and Kata online fields', () => {
    const old = parseClusterFile(`${GOOD}  k3s:\n    version: v1.33.4+k3s1\n`);
    expect(old.ok).toBe(false);
    if (old.ok) return;
    expect(formatFieldErrors(old.errors)).toBe(
      'spec.k3s.version: k3s v1.33.4+k3s1 is older than v1.36, which Nodeless needs (MutatingAdmissionPolicy is GA from Kubernetes 1.36); use v1.36.3+k3s1',
    );
    const good = parseClusterFile(
      `${GOOD}  k3s:\n    version: v1.36.3+k3s1\n  artifacts:\n    mode: online\n    kataVersion: 4.1.0\n    kataSha256: ${'0a'.repeat(32)}\n`,
    );
    if (!good.ok) throw new Error(formatFieldErrors(good.errors));
    expect(good.file.spec.artifacts).toEqual({
      mode: 'online',
      kataVersion: '4.1.0',
      kataSha256: '0a'.repeat(32),
    });
    const bad = parseClusterFile(`${GOOD}  artifacts:\n    mode: online\n    kataSha256: XYZ\n`);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(formatFieldErrors(bad.errors)).toBe(
      'spec.artifacts.kataSha256: must be a sha256: 64 lowercase hex digits',
    );
  });
});
