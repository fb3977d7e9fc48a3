import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  CNI_LINKS,
  LEFTOVERS,
  RULES_FILTER,
  leftoversScript,
  uninstallScript,
} from './reset-script.ts';
import { IMAGES_DIR } from './stage-artifacts.ts';

const syntax = (script: string) => spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });

describe('uninstall script (k3s-killall.sh + k3s-uninstall.sh + Nodeless)', () => {
  const s = uninstallScript();
  const lines = s.split('\n');

  it('is valid POSIX shell and needs neither helper script', () => {
    expect(syntax(s).status).toBe(0);
    expect(s).not.toContain('k3s-killall.sh;');
    expect(s).not.toMatch(/^\/usr\/local\/bin\/k3s-(agent-)?uninstall\.sh$/m);
  });

  it('stops and disables every k3s unit', () => {
    expect(s).toContain('for s in /etc/systemd/system/k3s*.service; do');
    expect(s).toContain('systemctl disable "$u"');
    expect(s).toContain('systemctl reset-failed "$u"');
  });

  it('kills process trees by executable (k3s data dir, Kata and gVisor shims), never by a pattern its own argv matches', () => {
    expect(s).not.toMatch(/pkill|killall |pgrep/);
    expect(s).toContain('readlink "$p/exe"');
    expect(s).toContain(
      '/var/lib/rancher/k3s/data/*|/usr/local/bin/k3s|/opt/kata/*|/usr/local/bin/containerd-shim-runsc-v1*|/usr/local/bin/runsc*)',
    );
    // Children of the shims (containers, microVMs) go too, as killall's killtree does.
    expect(s).toContain('ps -e -o ppid= -o pid=');
    // k3s-killall.sh's getshims regex must not match this script's own text.
    expect(s).not.toMatch(/\/var\/lib\/rancher\/k3s\/data\/[^/]*\/bin\/containerd-shim/);
  });

  it('unmounts what killall unmounts, deletes cni-* netns, CNI/flannel links and KUBE-/CNI-/flannel rules', () => {
    expect(s).toContain('(/run/k3s|/var/lib/kubelet|/run/netns/cni-|/var/lib/rancher/k3s)');
    expect(s).toContain('ip netns delete "$ns"');
    expect(s).toContain("grep 'master cni0'");
    expect(CNI_LINKS).toEqual([
      'cni0',
      'flannel.1',
      'flannel-v6.1',
      'kube-ipvs0',
      'flannel-wg',
      'flannel-wg-v6',
    ]);
    expect(s).toContain(
      'for l in cni0 flannel.1 flannel-v6.1 kube-ipvs0 flannel-wg flannel-wg-v6; do ip link delete "$l" 2>/dev/null || true; done',
    );
    expect(lines).toContain('for t in iptables ip6tables; do');
    // As killall: k3s's bundled iptables (bin/aux) is found where the host has none, and
    // PATH is set before anything under the data dir is removed.
    const path = lines.indexOf(
      'for bin in /var/lib/rancher/k3s/data/*/bin/; do [ -d "$bin" ] && PATH="$PATH:$bin:${bin}aux"; done',
    );
    expect(path).toBe(0);
    expect(path).toBeLessThan(lines.indexOf('for t in iptables ip6tables; do'));
    expect(s).toContain(
      '"$t-save" 2>/dev/null | grep -v KUBE- | grep -v CNI- | grep -iv flannel | "$t-restore"',
    );
  });

  it('removes upstream files, the helper scripts, links to k3s, and everything Nodeless added', () => {
    for (const p of [
      '/usr/local/bin/k3s',
      '/etc/rancher',
      '/var/lib/rancher',
      '/var/lib/kubelet',
      '/var/lib/cni',
      '/run/k3s',
      '/run/flannel',
      '/usr/local/bin/k3s-killall.sh',
      '/usr/local/bin/k3s-uninstall.sh',
      '/usr/local/bin/k3s-agent-uninstall.sh',
      '/opt/kata',
      '/etc/containerd/runsc.toml',
      '/etc/systemd/system/nodeless-devmapper.service',
      '/var/lib/nodeless',
    ])
      expect(LEFTOVERS).toContain(p);
    expect(lines).toContain(`rm -rf ${LEFTOVERS.join(' ')}`);
    expect(s).toContain('in k3s|/usr/local/bin/k3s) rm -f "$l" ;; esac');
    // The thin pool goes before its backing files: pool, loop devices, then rm.
    expect(s.indexOf('dmsetup remove nodeless-thinpool')).toBeLessThan(
      s.indexOf('rm -rf /usr/local/bin/k3s'),
    );
    expect(s).toContain('losetup -d "$dev"');
  });

  it("removes every image archive staged into k3s's images dir (k3s's and the meter's nodeless-meter-<version>.tar)", () => {
    // The whole tree goes, whatever the archives are called, and the leftovers check lists it.
    const ancestor = LEFTOVERS.find((p) => IMAGES_DIR.startsWith(`${p}/`));
    expect(ancestor).toBe('/var/lib/rancher');
    expect(lines).toContain(`rm -rf ${LEFTOVERS.join(' ')}`);
  });
});

describe('leftovers check', () => {
  const s = leftoversScript();
  it('is valid shell and looks at paths, units, links, mounts, netns, CNI links and firewall rules', () => {
    expect(syntax(s).status).toBe(0);
    expect(s).toContain(`for p in ${LEFTOVERS.join(' ')}; do [ -e "$p" ] && echo "$p"; done`);
    expect(s).toContain('systemctl is-active --quiet "$u" && echo "unit $u active"');
    expect(s).toContain('echo "symlink /usr/local/bin/$cmd -> k3s"');
    expect(s).toContain("sed 's/^/mount /'");
    expect(s).toContain('print "netns " $1');
    expect(s).toContain(
      'grep -xF -e cni0 -e flannel.1 -e flannel-v6.1 -e kube-ipvs0 -e flannel-wg -e flannel-wg-v6',
    );
    expect(s).toContain('(master cni0)');
    expect(s).toContain(`"$t-save" 2>/dev/null | ${RULES_FILTER} | wc -l`);
    expect(s).toContain('echo "devmapper pool nodeless-thinpool"');
  });

  it('counts exactly the lines killall would drop from iptables-save output', () => {
    const save = [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':KUBE-FORWARD - [0:0]',
      ':FLANNEL-FWD - [0:0]',
      '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
      '-A CNI-FORWARD -j ACCEPT',
      '-A INPUT -p tcp --dport 22 -j ACCEPT',
      'COMMIT',
    ].join('\n');
    const r = spawnSync('sh', ['-c', `${RULES_FILTER} | wc -l`], {
      input: `${save}\n`,
      encoding: 'utf8',
    });
    expect(r.stdout.trim()).toBe('4');
    const kept = spawnSync(
      'sh',
      ['-c', 'grep -v KUBE- | grep -v CNI- | grep -iv flannel | wc -l'],
      { input: `${save}\n`, encoding: 'utf8' },
    );
    expect(Number(kept.stdout.trim()) + 4).toBe(save.split('\n').length);
  });
});
