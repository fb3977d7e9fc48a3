/**
 * The stand-in airgap bundle installed on real test hosts the documented k3s airgap way
 * (binary to /usr/local/bin, images to agent/images, config.yaml, systemd unit, `systemctl
 * enable --now`), checked with the real kubectl from this machine. The bundle, the hosts and
 * the install steps are set up once in bundle-airgap-support.ts.
 *
 * @see https://docs.k3s.io/installation/airgap#install-k3s
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterImage, meterImageArchive } from '@nodeless/cluster-runtime';
import type { HostInventory } from '../src/hosts/index.ts';
import { runCommand } from '../src/hosts/run.ts';
import { CONTAINERD_DIR, nodes, startAirgapLab, type AirgapLab } from './bundle-airgap-support.ts';
import { eventually } from './hosts-helpers.ts';

let lab: AirgapLab;

beforeAll(async () => {
  lab = await startAirgapLab();
});

afterAll(async () => {
  await lab?.stop();
});

describe('bundle', () => {
  it('has the airgap layout and a manifest whose sha256 and sizes match the files', async () => {
    const names = lab.manifest.files.map((f) => f.name);
    expect(names).toHaveLength(8);
    expect(names).toContain('k3s');
    // The meter's real image archive, beside k3s's images (→ agent/images).
    expect(lab.manifest.files.find((f) => f.name === meterImageArchive())?.installTo).toBe(
      `/var/lib/rancher/k3s/agent/images/${meterImageArchive()}`,
    );
    expect(lab.manifest.images).toContain(meterImage());
    // gVisor as its release ships it: binaries plus `.sha512` files in sha512sum format.
    for (const n of ['runsc', 'containerd-shim-runsc-v1']) {
      expect(names).toContain(n);
      expect(names).toContain(`${n}.sha512`);
      const check = await runCommand('sh', [
        '-c',
        `cd '${lab.bundleDir}' && sha512sum -c ${n}.sha512`,
      ]);
      expect(check.stdout.trim()).toBe(`${n}: OK`);
    }
    expect(lab.manifest.versions.gvisor).toMatch(/^release-\d{8}\.\d+-STAND-IN$/);
    expect(names).toContain('k3s-airgap-images-amd64.tar.zst');
    expect(names.some((n) => /^kata-static-\d+\.\d+\.\d+-amd64\.tar\.xz$/.test(n))).toBe(true);
    for (const f of lab.manifest.files) {
      const data = await fs.readFile(path.join(lab.bundleDir, f.name));
      const sum = (await runCommand('sha256sum', [path.join(lab.bundleDir, f.name)])).stdout.split(
        ' ',
      )[0];
      expect(sum).toBe(f.sha256);
      expect(data.length).toBe(f.size);
    }
    expect(lab.manifest.versions.k3s).toBe('v1.36.3+k3s1-STAND-IN');
    // Self-extracting like k3s: a launcher, then the script and the real control plane.
    const k3s = await fs.readFile(path.join(lab.bundleDir, 'k3s'));
    expect(k3s.subarray(0, 10).toString()).toBe('#!/bin/sh\n');
    const contents = await runCommand('sh', [
      '-c',
      'tail -n +$(grep -an "^__NODELESS_PAYLOAD__$" "$1" | cut -d: -f1 | head -1 | xargs expr 1 +) "$1" | zstd -dcq | tar -t',
      'sh',
      path.join(lab.bundleDir, 'k3s'),
    ]);
    expect(contents.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        './k3s.js',
        './bin/k3s-kube-apiserver',
        './bin/k3s-etcd',
        './bin/k3s-kwok',
      ]),
    );
    const listing = await runCommand('tar', [
      '-tJf',
      path.join(
        lab.bundleDir,
        lab.manifest.files.find((f) => f.name.startsWith('kata-static'))?.name ?? '',
      ),
    ]);
    for (const p of [
      './opt/kata/bin/kata-runtime',
      './opt/kata/bin/containerd-shim-kata-v2',
      './opt/kata/share/defaults/kata-containers/configuration-clh.toml',
      './opt/kata/share/defaults/kata-containers/configuration-qemu.toml',
      './opt/kata/share/defaults/kata-containers/configuration-fc.toml',
    ]) {
      expect(listing.stdout.split('\n')).toContain(p);
    }
    const images = await runCommand('sh', [
      '-c',
      `zstd -dc '${path.join(lab.bundleDir, 'k3s-airgap-images-amd64.tar.zst')}' | tar -t`,
    ]);
    expect(images.stdout).toMatch(/index\.json/);
  });
});

describe('stand-in k3s on test hosts', () => {
  let kubeconfig: string;
  let token: string;

  it('server: airgap install → k3s.yaml (root, 0600) with which kubectl lists the node', async () => {
    const [h1] = lab.hosts as [HostInventory];
    const started = Date.now();
    const r = await lab.installK3s(
      h1,
      'server',
      'cluster-init: true\ntls-san:\n  - k3s.nodeless.test\nkube-controller-manager-arg:\n  - node-monitor-grace-period=8s\n',
    );
    expect(r.code, r.stderr).toBe(0);
    const version = await lab.sudo(h1, 'k3s --version');
    expect(version.stdout).toMatch(/^k3s version v1\.36\.3\+k3s1-STAND-IN /);
    const stat = await lab.sudo(
      h1,
      'sudo -n stat -c "%a %U" /etc/rancher/k3s/k3s.yaml /var/lib/rancher/k3s/server/token',
    );
    expect(stat.stdout.trim().split('\n')).toEqual(['600 root', '600 root']);
    token = (
      await lab.sudo(h1, 'sudo -n cat /var/lib/rancher/k3s/server/node-token')
    ).stdout.trim();
    expect(token).toMatch(/^K10[0-9a-f]{64}::server:.+$/);
    kubeconfig = await lab.kubeconfigFor(h1, h1);
    const list = await nodes(kubeconfig);
    expect(list.map((n) => n.name)).toEqual([h1.name]);
    expect(list[0]?.ready).toBe('True');
    expect(list[0]?.labels['node-role.kubernetes.io/control-plane']).toBe('true');
    // k3s imported the images dir: the airgap images and the meter's archive, by their names.
    expect(list[0]?.images).toEqual(
      expect.arrayContaining(['docker.io/rancher/mirrored-pause:3.6', meterImage()]),
    );
    // The real kube-apiserver answers behind the supervisor (the bundle carries it).
    const version2 = await runCommand('/usr/bin/kubectl', [
      '--kubeconfig',
      kubeconfig,
      'version',
      '-o',
      'json',
    ]);
    expect(
      (JSON.parse(version2.stdout) as { serverVersion: { gitVersion: string } }).serverVersion
        .gitVersion,
    ).toBe('v1.36.3');
    const rss = await lab.sudo(h1, "ps -eo rss= | awk '{s+=$1} END {print int(s/1024)}'");
    console.log(
      `[timing] stand-in k3s server with the real control plane: upload + install + Ready in ${((Date.now() - started) / 1000).toFixed(1)} s; host RSS ${rss.stdout.trim()} MiB`,
    );
  });

  it('server: renders containerd config.toml from the v3 base and leaves what flannel, CNI and kube-proxy leave', async () => {
    const [h1] = lab.hosts as [HostInventory];
    const conf = await lab.sudo(h1, `sudo -n head -2 ${CONTAINERD_DIR}/config.toml`);
    expect(conf.stdout).toBe(
      '# File generated by k3s. DO NOT EDIT. Use config-v3.toml.tmpl instead.\nversion = 3\n',
    );
    const probe = [
      'ip -o link show cni0 | wc -l',
      'ip -d link show flannel.1 | grep -c vxlan',
      'ip -o link show master cni0 | wc -l',
      'ip netns list | grep -c "^cni-"',
      'test -d /var/lib/cni/networks/cbr0 && echo cni-dir',
      'test -s /run/flannel/subnet.env && echo flannel-env',
      'iptables-save | grep -c -E "^:(KUBE-SERVICES|KUBE-FORWARD|CNI-[0-9a-f]+|FLANNEL-POSTRTG) "',
    ].join('; ');
    const want = ['1', '1', '1', '1', 'cni-dir', 'flannel-env', '4'];
    let got: string[] = [];
    const ok = await eventually(async () => {
      got = (await lab.sudo(h1, `sudo -n sh -c '${probe}'`)).stdout.trim().split('\n');
      return JSON.stringify(got) === JSON.stringify(want);
    }, 20_000);
    expect(ok, got.join(' | ')).toBe(true);
    // A restart finds them in place and adds no second bridge, namespace or chain; the
    // kubeconfig exported before it still works (k3s keeps its client CA).
    expect((await lab.sudo(h1, 'sudo -n systemctl restart k3s')).code).toBe(0);
    got = (await lab.sudo(h1, `sudo -n sh -c '${probe}'`)).stdout.trim().split('\n');
    expect(got).toEqual(want);
    expect((await nodes(kubeconfig)).map((n) => n.name)).toEqual([h1.name]);
  });

  it('agent whose default-runtime has no runtime table: containerd refuses it, no node registers', async () => {
    const [h1, h2] = lab.hosts as [HostInventory, HostInventory];
    const r = await lab.installK3s(
      h2,
      'agent',
      `server: https://${h1.address}:6443\ntoken: ${token}\ndefault-runtime: kata-clh\n`,
      '',
      // k3s never reports ready while it waits for containerd's CRI.
      true,
    );
    expect(r.code, r.stderr).toBe(0);
    const waiting = await eventually(
      async () =>
        /Waiting for containerd startup: rpc error: code = Unimplemented desc = unknown service runtime\.v1\.RuntimeService/.test(
          (await lab.sudo(h2, 'sudo -n journalctl -u k3s-agent --no-pager -o cat')).stdout,
        ),
      30_000,
    );
    expect(waiting).toBe(true);
    const log = await lab.sudo(
      h2,
      'sudo -n cat /var/lib/rancher/k3s/agent/containerd/containerd.log',
    );
    expect(log.stdout).toContain(
      'msg="failed to load plugin" error="invalid plugin config: no corresponding runtime configured in `containerd.runtimes` for `containerd` `default_runtime_name = \\"kata-clh\\"`"',
    );
    // The server answers (its own node is listed), and the agent is not among the nodes.
    const names = (await nodes(kubeconfig)).map((n) => n.name);
    expect(names).toContain(h1.name);
    expect(names).not.toContain(h2.name);
  });

  it('agent: with the runtime defined in a config-v3.toml.d drop-in it joins as a second Ready node with its handlers', async () => {
    const [, h2] = lab.hosts as [HostInventory, HostInventory];
    const dropin = '[plugins."io.containerd.cri.v1.runtime".containerd.runtimes."kata-clh"]';
    const r = await lab.sudo(
      h2,
      `sudo -n mkdir -p ${CONTAINERD_DIR}/config-v3.toml.d && printf '%s\\n' '${dropin}' | sudo -n tee ${CONTAINERD_DIR}/config-v3.toml.d/kata.toml >/dev/null && sudo -n systemctl restart k3s-agent`,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(
      await eventually(
        async () => (await nodes(kubeconfig)).filter((n) => n.ready === 'True').length === 2,
        30_000,
      ),
    ).toBe(true);
    const agent = (await nodes(kubeconfig)).find((n) => n.name === h2.name);
    expect(agent?.labels['node-role.kubernetes.io/control-plane']).toBeUndefined();
    expect(agent?.handlers).toEqual(['kata-clh', 'runc']);
  });

  it('agent stopped: its node turns Ready=Unknown after the grace period; started: Ready again', async () => {
    const h2 = lab.hosts[1] as HostInventory;
    const readiness = async () => (await nodes(kubeconfig)).find((n) => n.name === h2.name)?.ready;
    expect((await lab.sudo(h2, 'sudo -n systemctl stop k3s-agent')).code).toBe(0);
    expect(await eventually(async () => (await readiness()) === 'Unknown', 30_000)).toBe(true);
    expect((await lab.sudo(h2, 'sudo -n systemctl start k3s-agent')).code).toBe(0);
    expect(await eventually(async () => (await readiness()) === 'True', 20_000)).toBe(true);
  });

  it('a wrong token is refused like k3s: non-zero exit, message, no node', async () => {
    const [h1, , h3] = lab.hosts as [HostInventory, HostInventory, HostInventory];
    await lab.upload(h3, ['k3s']);
    const wrong = token.replace(/::server:.*/, '::server:not-the-password');
    const r = await lab.sudo(
      h3,
      `./k3s agent --server https://${h1.address}:6443 --token '${wrong}'`,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/level=fatal msg=".*failed to validate token.*401 Unauthorized/);
    const badCa = await lab.sudo(
      h3,
      `./k3s agent --server https://${h1.address}:6443 --token 'K10${'0'.repeat(64)}::server:x'`,
    );
    expect(badCa.code).not.toBe(0);
    expect(badCa.stderr).toMatch(/token CA hash does not match the Cluster CA certificate hash/);
    expect((await nodes(kubeconfig)).map((n) => n.name)).not.toContain(h3.name);
  });

  it('HA: a second server joins as control-plane and serves the API on its own address', async () => {
    const [h1, , h3] = lab.hosts as [HostInventory, HostInventory, HostInventory];
    const r = await lab.installK3s(
      h3,
      'server',
      `server: https://${h1.address}:6443\ntoken: ${token}\n`,
    );
    expect(r.code, r.stderr).toBe(0);
    const viaH3 = await lab.kubeconfigFor(h3, h3);
    expect(await eventually(async () => (await nodes(viaH3)).length === 3, 30_000)).toBe(true);
    const joined = (await nodes(viaH3)).find((n) => n.name === h3.name);
    expect(joined?.labels['node-role.kubernetes.io/etcd']).toBe('true');
  });

  it('a template that declares the base runc table again: containerd exits, so does k3s', async () => {
    const h3 = lab.hosts[2] as HostInventory;
    const tmpl = `{{ template "base" . }}\n[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]\n  runtime_type = "io.containerd.runc.v2"\n`;
    const write = await lab.sudo(
      h3,
      `sudo -n tee ${CONTAINERD_DIR}/config-v3.toml.tmpl >/dev/null && sudo -n systemctl restart k3s`,
      tmpl,
    );
    expect(write.code).not.toBe(0);
    const journal = await lab.sudo(h3, 'sudo -n journalctl -u k3s --no-pager -o cat');
    expect(journal.stdout).toMatch(/level=error msg="containerd exited: exit status 1"/);
    const log = await lab.sudo(
      h3,
      'sudo -n cat /var/lib/rancher/k3s/agent/containerd/containerd.log',
    );
    expect(log.stdout).toContain(
      'containerd: failed to unmarshal TOML: toml: table runc already exists',
    );
    const fixed = await lab.sudo(
      h3,
      `sudo -n rm ${CONTAINERD_DIR}/config-v3.toml.tmpl && sudo -n systemctl restart k3s`,
    );
    expect(fixed.code, fixed.stderr).toBe(0);
  });

  it('runsc from the bundle installs as gVisor documents and answers --version', async () => {
    const [, h2] = lab.hosts as [HostInventory, HostInventory];
    const files = [
      'runsc',
      'runsc.sha512',
      'containerd-shim-runsc-v1',
      'containerd-shim-runsc-v1.sha512',
    ];
    await lab.upload(h2, files);
    // https://gvisor.dev/docs/user_guide/install/#install-latest
    const install = await lab.sudo(
      h2,
      'sha512sum -c runsc.sha512 containerd-shim-runsc-v1.sha512 && chmod a+rx runsc containerd-shim-runsc-v1 && sudo -n mv runsc containerd-shim-runsc-v1 /usr/local/bin',
    );
    expect(install.code, install.stderr).toBe(0);
    const v = await lab.sudo(h2, 'runsc --version && containerd-shim-runsc-v1 -v');
    expect(v.stdout).toMatch(/^runsc version release-\d{8}\.\d+-STAND-IN\nspec: /);
    expect(v.stdout).toMatch(/Version: release-\d{8}\.\d+-STAND-IN/);
    const run = await lab.sudo(h2, 'sudo -n runsc do true');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/STAND-IN/);
    expect(
      (
        await lab.sudo(
          h2,
          'sudo -n rm -f /usr/local/bin/runsc /usr/local/bin/containerd-shim-runsc-v1',
        )
      ).code,
    ).toBe(0);
  });

  it('kata-runtime from the Kata tarball tells the truth about the host', async () => {
    const [h1] = lab.hosts as [HostInventory];
    const kata = lab.manifest.files.find((f) => f.name.startsWith('kata-static'))?.name ?? '';
    await lab.upload(h1, [kata]);
    expect((await lab.sudo(h1, `sudo -n tar -xJf ${kata} -C /`)).code).toBe(0);
    expect((await lab.sudo(h1, '/opt/kata/bin/kata-runtime --version')).stdout).toMatch(/STAND-IN/);
    const check = await lab.sudo(h1, 'sudo -n /opt/kata/bin/kata-runtime check');
    const cpuinfo = await fs.readFile('/proc/cpuinfo', 'utf8');
    const hasVirt = /\b(vmx|svm)\b/.test(cpuinfo);
    const hasVhostVsock = await fs.access('/sys/module/vhost_vsock').then(
      () => true,
      () => false,
    );
    if (!hasVirt || !hasVhostVsock) {
      expect(check.code).not.toBe(0);
      expect(check.stderr).toMatch(/System is not capable of running Kata Containers/);
      if (!hasVirt) expect(check.stderr).toMatch(/msg="CPU property not found".* name=(vmx|svm)/);
    } else {
      console.log(
        '[kata] this machine has vmx/svm and vhost_vsock: check verdict depends on KVM_CREATE_VM; only the version was asserted',
      );
    }
  });
});
