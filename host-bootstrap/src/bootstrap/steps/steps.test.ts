import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { artifactRole, parseBundle } from '../bundle-manifest.ts';
import {
  devmapperScript,
  handlersFor,
  renderTemplate,
  templatePath,
  usesContainerd2,
} from './containerd-template.ts';
import { renderK3sConfig, renderUnit } from './k3s-files.ts';
import { classifyK3sFailure } from './k3s-node.ts';
import { k3sUrls, kataUrl, onlineDownloadScript } from './online.ts';
import { modulesFile, modulesFor, sysctlFile } from './prepare-os.ts';
import { uninstallScript } from './reset.ts';
import { installTarget } from './stage-artifacts.ts';

const base = {
  ha: false,
  serverAddress: '10.0.0.1',
  hostAddress: '10.0.0.1',
  serverUrl: 'https://10.0.0.1:6443',
  defaultRuntime: 'kata-clh',
  sandboxFamily: 'kata' as const,
};

describe('k3s config.yaml', () => {
  it('first server: cluster-init only when HA, tls-san, label, default runtime, 0600 kubeconfig', () => {
    const single = parse(renderK3sConfig({ ...base, role: 'first-server' })) as Record<
      string,
      unknown
    >;
    expect(single).toEqual({
      'write-kubeconfig-mode': '0600',
      'tls-san': ['10.0.0.1'],
      'node-label': ['nodeless.dev/sandbox=kata'],
      'default-runtime': 'kata-clh',
    });
    const ha = parse(renderK3sConfig({ ...base, ha: true, role: 'first-server' })) as Record<
      string,
      unknown
    >;
    expect(ha['cluster-init']).toBe(true);
  });

  it('joining server and agent: server URL + token; agents carry no server-only keys', () => {
    const join = parse(
      renderK3sConfig({
        ...base,
        ha: true,
        role: 'join-server',
        hostAddress: '10.0.0.2',
        token: 'K10x::server:y',
      }),
    ) as Record<string, unknown>;
    expect(join['server']).toBe('https://10.0.0.1:6443');
    expect(join['token']).toBe('K10x::server:y');
    expect(join['cluster-init']).toBeUndefined();
    expect(join['tls-san']).toEqual(['10.0.0.1', '10.0.0.2']);
    const agent = parse(
      renderK3sConfig({
        ...base,
        role: 'agent',
        sandboxFamily: 'gvisor',
        defaultRuntime: 'runsc',
        token: 't0k',
      }),
    ) as Record<string, unknown>;
    expect(agent).toEqual({
      server: 'https://10.0.0.1:6443',
      token: 't0k',
      'node-label': ['nodeless.dev/sandbox=gvisor'],
      'default-runtime': 'runsc',
    });
    expect(() => renderK3sConfig({ ...base, role: 'agent' })).toThrow(/token/);
  });
});

describe('systemd units as install.sh writes them', () => {
  it('server is Type=notify running `k3s server`; agent is Type=exec running `k3s agent`', () => {
    expect(renderUnit('server')).toMatch(/^Type=notify$/m);
    expect(renderUnit('server')).toMatch(/^ExecStart=\/usr\/local\/bin\/k3s \\\n {4}server \\$/m);
    expect(renderUnit('agent')).toMatch(/^Type=exec$/m);
    expect(renderUnit('agent')).toMatch(/k3s-agent\.service\.env$/m);
    expect(renderUnit('agent')).toMatch(/^ {4}agent \\$/m);
  });
});

describe('containerd template', () => {
  it('picks config-v3.toml.tmpl for containerd 2 releases of k3s', () => {
    expect(usesContainerd2('v1.33.4+k3s1')).toBe(true);
    expect(usesContainerd2('v1.32.2+k3s1')).toBe(true);
    expect(usesContainerd2('v1.32.1+k3s1')).toBe(false);
    expect(usesContainerd2('v1.31.6+k3s1')).toBe(true);
    expect(usesContainerd2('v1.30.9+k3s1')).toBe(false);
    expect(templatePath('v1.33.4+k3s1')).toBe(
      '/var/lib/rancher/k3s/agent/etc/containerd/config-v3.toml.tmpl',
    );
    expect(templatePath('v1.30.9+k3s1')).toBe(
      '/var/lib/rancher/k3s/agent/etc/containerd/config.toml.tmpl',
    );
  });

  it('extends the base template with Kata handlers (v3 plugin names)', () => {
    const t = renderTemplate('v1.33.4+k3s1', handlersFor('kata-clh'));
    expect(t).toContain('{{ template "base" . }}');
    expect(t).toContain(`[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.kata-clh]`);
    expect(t).toContain('runtime_type = "io.containerd.kata-clh.v2"');
    expect(t).toContain(
      'ConfigPath = "/opt/kata/share/defaults/kata-containers/configuration-qemu.toml"',
    );
    expect(t).not.toContain('kata-fc');
    expect(t).not.toContain('devmapper');
  });

  it('v2 names for older k3s; kata-fc adds the devmapper snapshotter; gVisor is runsc', () => {
    const fc = renderTemplate('v1.30.9+k3s1', handlersFor('kata-fc'));
    expect(fc).toContain('[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata-fc]');
    expect(fc).toContain('snapshotter = "devmapper"');
    expect(fc).toContain('[plugins."io.containerd.snapshotter.v1.devmapper"]');
    expect(devmapperScript()).toMatch(
      /dmsetup create nodeless-thinpool --table "0 \$LENGTH_IN_SECTORS thin-pool/,
    );
    const g = renderTemplate('v1.33.4+k3s1', handlersFor('gvisor'));
    expect(g).toContain(`[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runsc]`);
    expect(g).toContain('runtime_type = "io.containerd.runsc.v1"');
  });
});

describe('online staging', () => {
  it('downloads the pinned release and checks it against sha256sum-<arch>.txt', () => {
    expect(k3sUrls('v1.33.4+k3s1', 'amd64')).toEqual({
      binary: 'https://github.com/k3s-io/k3s/releases/download/v1.33.4%2Bk3s1/k3s',
      hashes: 'https://github.com/k3s-io/k3s/releases/download/v1.33.4%2Bk3s1/sha256sum-amd64.txt',
    });
    expect(k3sUrls('v1.33.4+k3s1', 'arm64').binary).toMatch(/\/k3s-arm64$/);
    const script = onlineDownloadScript({ k3sVersion: 'v1.33.4+k3s1', arch: 'amd64' });
    expect(script).toContain("grep -E ' k3s$' sha256sum-amd64.txt");
    expect(script).toContain('[ "$got" = "$want" ]');
    expect(script).toContain('install -m 0755 -o root -g root k3s.download /usr/local/bin/k3s');
    expect(kataUrl('3.18.0', 'amd64')).toBe(
      'https://github.com/kata-containers/kata-containers/releases/download/3.18.0/kata-static-3.18.0-amd64.tar.xz',
    );
    expect(() =>
      onlineDownloadScript({ k3sVersion: 'v1', arch: 'amd64', kataVersion: '3.18.0' }),
    ).toThrow(/pinned/);
  });
});

describe('bundle manifest and install targets', () => {
  const good = {
    schemaVersion: 1,
    versions: { k3s: 'v1.33.4+k3s1' },
    files: [{ name: 'k3s', sha256: 'a'.repeat(64), size: 1 }],
  };
  it('parses, classifies by upstream asset name, and refuses bad input with the field', () => {
    expect(parseBundle(JSON.stringify(good), '/b').artifacts[0]).toMatchObject({
      role: 'k3s',
      localPath: '/b/k3s',
    });
    expect(artifactRole('kata-static-3.18.0-x86_64.tar.zst')).toBe('kata-static');
    expect(artifactRole('k3s-airgap-images-amd64.tar.zst')).toBe('k3s-images');
    expect(artifactRole('containerd-shim-runsc-v1')).toBe('runsc-shim');
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
    expect(
      installTarget({ name: 'kata-static-3.18.0-amd64.tar.xz', role: 'kata-static' })?.script,
    ).toContain('tar -J -xf "$SRC" -C /');
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

describe('prepare-os and uninstall scripts', () => {
  it('persists the modules and sysctls', () => {
    expect(modulesFor(true)).toEqual(['overlay', 'br_netfilter', 'vhost_vsock', 'vhost_net']);
    expect(modulesFile(modulesFor(false))).toMatch(/^overlay\nbr_netfilter\n$/m);
    expect(sysctlFile()).toContain('net.ipv4.ip_forward = 1');
    expect(sysctlFile()).toContain('net.bridge.bridge-nf-call-iptables = 1');
  });

  it('uninstall kills by executable path, never by a pattern its own text would match', () => {
    const s = uninstallScript();
    expect(s).not.toMatch(/pkill|killall/);
    expect(s).toContain('readlink "$p/exe"');
    for (const p of ['/etc/rancher', '/var/lib/rancher', '/opt/kata', '/usr/local/bin/k3s'])
      expect(s).toContain(p);
  });
});
