import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderK3sConfig, renderUnit } from './k3s-files.ts';
import {
  KILLALL_SH,
  renderKillall,
  renderUninstall,
  symlinksPendingScript,
  symlinksScript,
  uninstallShPath,
} from './k3s-scripts.ts';

const base = {
  ha: false,
  serverAddress: '10.0.0.1',
  hostAddress: '10.0.0.1',
  serverUrl: 'https://10.0.0.1:6443',
  sandboxFamily: 'kata' as const,
};

/** `sh -n`: the script parses as POSIX shell (dash, like /bin/sh on Debian). */
function shellSyntaxError(script: string): string {
  const r = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
  return r.status === 0 ? '' : r.stderr;
}

describe('k3s config.yaml', () => {
  it('first server: cluster-init only when HA, tls-san, label, 0600 kubeconfig — and no default-runtime', () => {
    const single = parse(renderK3sConfig({ ...base, role: 'first-server' })) as Record<
      string,
      unknown
    >;
    expect(single).toEqual({
      'write-kubeconfig-mode': '0600',
      'tls-san': ['10.0.0.1'],
      'node-label': ['nodeless.dev/sandbox=kata'],
    });
    const ha = parse(renderK3sConfig({ ...base, ha: true, role: 'first-server' })) as Record<
      string,
      unknown
    >;
    expect(ha['cluster-init']).toBe(true);
    expect(ha['default-runtime']).toBeUndefined();
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
      renderK3sConfig({ ...base, role: 'agent', sandboxFamily: 'gvisor', token: 't0k' }),
    ) as Record<string, unknown>;
    expect(agent).toEqual({
      server: 'https://10.0.0.1:6443',
      token: 't0k',
      'node-label': ['nodeless.dev/sandbox=gvisor'],
    });
    expect(() => renderK3sConfig({ ...base, role: 'agent' })).toThrow(/token/);
  });
});

describe('systemd units as install.sh writes them', () => {
  it('server runs `k3s server`, agent `k3s agent`, both Type=notify', () => {
    expect(renderUnit('server')).toMatch(/^Type=notify$/m);
    expect(renderUnit('server')).toMatch(/^ExecStart=\/usr\/local\/bin\/k3s \\\n {4}server \\$/m);
    expect(renderUnit('agent')).toMatch(/^Type=notify$/m);
    expect(renderUnit('agent')).toMatch(/k3s-agent\.service\.env$/m);
    expect(renderUnit('agent')).toMatch(/^ {4}agent \\$/m);
  });
});

describe("install.sh's helper scripts and links", () => {
  it('k3s-killall.sh: upstream steps, plus the sandbox shims matched by executable', () => {
    const s = renderKillall();
    expect(KILLALL_SH).toBe('/usr/local/bin/k3s-killall.sh');
    expect(shellSyntaxError(s)).toBe('');
    expect(s.startsWith('#!/bin/sh\n')).toBe(true);
    for (const line of [
      'K3S_DATA_DIR=${K3S_DATA_DIR:-/var/lib/rancher/k3s}',
      'for service in /etc/systemd/system/k3s*.service; do',
      "    sed -e 's/^\\s*//g; s/\\s\\s*/\\t/g;' | \\",
      "    ps -e -o pid= -o args= | sed -e 's/^ *//; s/\\s\\s*/\\t/;' | grep -w \"${K3S_DATA_DIR}\"'/data/[^/]*/bin/containerd-shim' | cut -f1",
      "do_unmount_and_remove '/run/k3s'",
      "do_unmount_and_remove '/var/lib/kubelet/pods'",
      "do_unmount_and_remove '/var/lib/kubelet/plugins'",
      "do_unmount_and_remove '/run/netns/cni-'",
      'ip netns show 2>/dev/null | grep cni- | xargs -r -t -n 1 ip netns delete',
      '        iface=${iface%%@*}',
      '    ip link delete cni0',
      '    ip link delete flannel.1',
      '    ip link delete flannel-v6.1',
      '    ip link delete kube-ipvs0',
      '    ip link delete flannel-wg',
      '    ip link delete flannel-wg-v6',
      'rm -rf /var/lib/cni/',
      'iptables-save | grep -v KUBE- | grep -v CNI- | grep -iv flannel | iptables-restore',
      'ip6tables-save | grep -v KUBE- | grep -v CNI- | grep -iv flannel | ip6tables-restore',
    ])
      expect(s.split('\n')).toContain(line);
    expect(s).toContain('case "$(readlink $p/exe 2>/dev/null)" in');
    expect(s).toContain('/opt/kata/bin/containerd-shim-kata-v2*|');
    expect(s).toContain('/usr/local/bin/containerd-shim-runsc-v1*) echo ${p#/proc/} ;;');
  });

  it('k3s-uninstall.sh for servers, k3s-agent-uninstall.sh for agents, names expanded', () => {
    expect(uninstallShPath('server')).toBe('/usr/local/bin/k3s-uninstall.sh');
    expect(uninstallShPath('agent')).toBe('/usr/local/bin/k3s-agent-uninstall.sh');
    const agent = renderUninstall('agent');
    expect(shellSyntaxError(agent)).toBe('');
    expect(shellSyntaxError(renderUninstall('server'))).toBe('');
    for (const line of [
      '/usr/local/bin/k3s-killall.sh',
      '    systemctl disable k3s-agent',
      'rm -f /etc/systemd/system/k3s-agent.service',
      'rm -f /etc/systemd/system/k3s-agent.service.env',
      '    rm -f /usr/local/bin/k3s-agent-uninstall.sh',
      "    set +x; echo 'Additional k3s services installed, skipping uninstall of k3s'; set -x",
      '    if [ -L /usr/local/bin/$cmd ]; then',
      'rm -rf /etc/rancher/k3s',
      'rm -rf /run/flannel',
      'clean_mounted_directory ${K3S_DATA_DIR}',
      'rm -rf /var/lib/kubelet',
      'rm -f /usr/local/bin/k3s',
    ])
      expect(agent.split('\n')).toContain(line);
    expect(renderUninstall('server')).toContain('rm -f /etc/systemd/system/k3s.service\n');
  });

  it('kubectl/crictl/ctr link to k3s only where no command of that name exists', () => {
    expect(symlinksScript()).toBe(
      [
        'for cmd in kubectl crictl ctr; do',
        '  if [ ! -e /usr/local/bin/$cmd ] && ! command -v $cmd >/dev/null 2>&1; then',
        '    ln -sf k3s /usr/local/bin/$cmd',
        '  fi',
        'done',
      ].join('\n'),
    );
    expect(shellSyntaxError(symlinksPendingScript())).toBe('');
  });
});
