import { describe, expect, it } from 'vitest';
import { artifactRole, parseBundle } from '../bundle-manifest.ts';
import { classifyK3sFailure } from './k3s-node.ts';
import { modulesFile, modulesFor, sysctlFile } from './prepare-os.ts';
import { installTarget } from './stage-artifacts.ts';

describe('bundle manifest and install targets', () => {
  const good = {
    schemaVersion: 1,
    versions: { k3s: 'v1.36.3+k3s1' },
    files: [{ name: 'k3s', sha256: 'a'.repeat(64), size: 1 }],
  };
  it('parses, classifies by upstream asset name, and refuses bad input with the field', () => {
    expect(parseBundle(JSON.stringify(good), '/b').artifacts[0]).toMatchObject({
      role: 'k3s',
      localPath: '/b/k3s',
    });
    expect(artifactRole('kata-static-3.18.0-x86_64.tar.zst')).toBe('kata-static');
    expect(artifactRole('kata-go-static-4.1.0-amd64.tar.zst')).toBe('kata-go-static');
    expect(artifactRole('k3s-airgap-images-amd64.tar.zst')).toBe('k3s-images');
    expect(artifactRole('containerd-shim-runsc-v1')).toBe('runsc-shim');
    expect(artifactRole('nodeless-meter-0.1.0.tar')).toBe('meter-image');
    expect(artifactRole('nodeless-meter-.tar')).toBe('other');
    expect(artifactRole('nodeless-meter-0.1.0.tar.gz')).toBe('other');
    expect(() => parseBundle('{', '/b')).toThrow(/not valid JSON/);
    expect(() =>
      parseBundle(
        JSON.stringify({ ...good, files: [{ name: '../k3s', sha256: 'a'.repeat(64), size: 1 }] }),
        '/b',
      ),
    ).toThrow(/files\.0\.name/);
    expect(() =>
      parseBundle(
        JSON.stringify({ ...good, files: [{ name: 'x', sha256: 'a'.repeat(64), size: 1 }] }),
        '/b',
      ),
    ).toThrow(/no k3s binary/);
  });

  it('installs to the upstream airgap locations', () => {
    expect(installTarget({ name: 'k3s', role: 'k3s' })?.script).toContain('/usr/local/bin/k3s');
    expect(
      installTarget({ name: 'k3s-airgap-images-amd64.tar.zst', role: 'k3s-images' })?.proof,
    ).toBe('/var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.zst');
    // The meter's image archive goes where k3s imports archives from, root-owned 0644.
    const meter = installTarget({ name: 'nodeless-meter-0.1.0.tar', role: 'meter-image' });
    expect(meter).toMatchObject({
      proof: '/var/lib/rancher/k3s/agent/images/nodeless-meter-0.1.0.tar',
      mode: '644',
    });
    expect(meter?.script).toBe(
      'install -D -m 0644 -o root -g root "$SRC" /var/lib/rancher/k3s/agent/images/nodeless-meter-0.1.0.tar',
    );
    expect(
      installTarget({ name: 'kata-static-3.18.0-amd64.tar.xz', role: 'kata-static' })?.script,
    ).toContain('tar -J -xf "$SRC" -C /');
    // zstd (Kata ≥ 3.21) is made available before tar needs it.
    const zst = installTarget({
      name: 'kata-go-static-4.1.0-amd64.tar.zst',
      role: 'kata-go-static',
    });
    expect(zst?.proof).toBe(
      '/var/lib/nodeless/installed/kata-go-static-4.1.0-amd64.tar.zst.sha256',
    );
    expect(zst?.script.indexOf('command -v zstd')).toBeLessThan(
      zst?.script.indexOf('tar --zstd -xf "$SRC" -C /') ?? -1,
    );
    expect(installTarget({ name: 'notes.txt', role: 'other' })).toBeUndefined();
  });
});

describe('k3s failures', () => {
  it('names a wrong token and a taken port with a remedy', () => {
    const token = classifyK3sFailure(
      'h2',
      'k3s-agent',
      'level=fatal msg="Error: failed to validate token: Get https://x/cacerts: 401 Unauthorized"',
    );
    expect(token?.message).toBe('k3s on h2 was refused by the server: the join token is wrong.');
    expect(token?.remedy).toMatch(/server\/token/);
    const port = classifyK3sFailure(
      'h1',
      'k3s',
      'listen tcp 0.0.0.0:6443: bind: address already in use',
    );
    expect(port?.message).toMatch(/port 6443/);
    expect(classifyK3sFailure('h1', 'k3s', 'level=info msg="starting"')).toBeUndefined();
  });
});

describe('prepare-os', () => {
  it('persists the modules and sysctls', () => {
    expect(modulesFor(true)).toEqual(['overlay', 'br_netfilter', 'vhost_vsock', 'vhost_net']);
    expect(modulesFile(modulesFor(false))).toMatch(/^overlay\nbr_netfilter\n$/m);
    expect(sysctlFile()).toContain('net.ipv4.ip_forward = 1');
    expect(sysctlFile()).toContain('net.bridge.bridge-nf-call-iptables = 1');
  });
});
