/**
 * The product's plans never hand containerd a config it would refuse: for each sandbox
 * (kata-clh, kata-qemu, kata-fc, gvisor) the plan runs on a test host with the stand-in bundle,
 * whose stand-in k3s renders `config-v3.toml.tmpl` as k3s v1.36 does and refuses to register
 * a Ready node exactly when containerd would refuse the result (invalid TOML, a duplicate
 * table, an undefined default runtime).
 *
 * What each plan can prove on a test host (no KVM, no loop devices):
 * - gvisor: the whole install; the node advertises runsc, runc stays the default runtime;
 * - kata-clh / kata-qemu: k3s comes up Ready with the Kata handlers advertised (containerd
 *   accepted the config), then `kata-runtime check` fails the sandbox step with its remedy;
 * - kata-fc: the thin pool cannot be created, so the k3s step stops BEFORE k3s starts, naming
 *   the devmapper pool; the template it wrote is still checked as containerd would load it.
 *
 * Then install.sh's helper scripts and reset: k3s-killall.sh removes the network leftovers the
 * stand-in created (cni0, a cni-* netns, KUBE- chains), and reset leaves nothing at all.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBaseV3 } from '../../testkit/src/standin/k3s/containerd/base.ts';
import { criRuntime, loadConfig } from '../../testkit/src/standin/k3s/containerd/load.ts';
import { renderUserTemplate } from '../../testkit/src/standin/k3s/containerd/template.ts';
import {
  MemoryJournal,
  TEMPLATE_PATH,
  leftovers,
  nodeName,
  resetPlan,
  runPlan,
  type HostHandle,
  type Sandbox,
} from '../src/bootstrap/index.ts';
import {
  buildCluster,
  closeHandles,
  runOnce,
  setupBootWorld,
  type BootWorld,
  type Cluster,
} from './bootstrap-helpers.ts';

const CONFIG_TOML = '/var/lib/rancher/k3s/agent/etc/containerd/config.toml';

let world: BootWorld;
const open: Cluster[] = [];

async function cluster(sandbox: Sandbox): Promise<Cluster> {
  const c = await buildCluster(world, {
    name: `sbx-${sandbox}`,
    servers: [world.hosts[0]?.name ?? ''],
    agents: [],
    kubeconfigPath: join(world.dir, `${sandbox}.kubeconfig`),
    sandbox,
  });
  open.push(c);
  return c;
}

const first = (c: Cluster): HostHandle => c.hosts.values().next().value as HostHandle;

async function sh(host: HostHandle, script: string): Promise<string> {
  const r = await host.runner.run(script);
  return r.stdout;
}

async function reset(c: Cluster, runId: string): Promise<void> {
  const out = await runPlan(resetPlan(c.spec.name, [...c.hosts.values()]), {
    runId,
    journal: new MemoryJournal(),
    concurrency: 1,
  });
  expect(out.state).toBe('succeeded');
}

/** The host's template as containerd would load it after k3s rendered it (stand-in loader). */
async function loadsAsContainerd(host: HostHandle): Promise<ReturnType<typeof criRuntime>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sbx-'));
  try {
    const base = renderBaseV3({
      dataDir,
      snapshotter: 'overlayfs',
      pauseImage: 'rancher/mirrored-pause:3.6',
      systemdCgroup: true,
      selinux: false,
      nonrootDevices: false,
      noFlannel: false,
    });
    const file = join(dataDir, 'config.toml');
    writeFileSync(file, renderUserTemplate(await sh(host, `cat ${TEMPLATE_PATH}`), base));
    return criRuntime(loadConfig(file).plugins);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  world = await setupBootWorld('bsx', 1);
  await reset(await cluster('gvisor'), 'pre-clean');
});

afterAll(async () => {
  for (const c of open) closeHandles(c.hosts);
  await world?.release();
});

describe('every sandbox plan yields a containerd config containerd accepts', () => {
  it.each<Sandbox>(['kata-clh', 'kata-qemu'])(
    '%s: the node comes up Ready advertising the Kata handlers; kata-runtime check (no KVM) stops the sandbox step',
    async (sandbox) => {
      const c = await cluster(sandbox);
      const { outcome } = await runOnce(c, `run-${sandbox}`);
      expect(outcome.state).toBe('failed');
      const host = first(c);
      expect(outcome.failed).toEqual([
        expect.objectContaining({
          step: `sandbox-runtime@${host.name}`,
          message: expect.stringContaining(`cannot run ${sandbox} sandboxes`) as string,
          remedy: expect.stringContaining('choose the gVisor sandbox') as string,
        }),
      ]);
      const node = await c.access.node(await nodeName(host));
      expect(node?.ready).toBe(true);
      expect(node?.runtimeHandlers.sort()).toEqual(['kata-clh', 'kata-qemu', 'runc']);
      const config = parseToml(await sh(host, `cat ${CONFIG_TOML}`));
      expect(JSON.stringify(config)).not.toContain('default_runtime_name');
      await reset(c, `reset-${sandbox}`);
    },
  );

  it('kata-fc: no thin pool on a test host, so k3s is not started; the written template loads', async () => {
    const c = await cluster('kata-fc');
    const { outcome } = await runOnce(c, 'run-kata-fc');
    const host = first(c);
    expect(outcome.state).toBe('failed');
    expect(outcome.failed).toEqual([
      expect.objectContaining({
        step: `k3s-server-init@${host.name}`,
        message: expect.stringContaining(
          'Creating the devmapper thin pool for kata-fc failed',
        ) as string,
        remedy: expect.stringContaining('choose kata-clh') as string,
      }),
    ]);
    expect((await sh(host, 'systemctl is-active k3s || true')).trim()).not.toBe('active');
    expect(await loadsAsContainerd(host)).toEqual({
      ok: true,
      defaultRuntime: 'runc',
      handlers: ['kata-clh', 'kata-fc', 'kata-qemu', 'runc'],
    });
    await reset(c, 'reset-kata-fc');
  });

  it('gvisor: installs; runc stays default, runsc advertised with its systemd-cgroup options', async () => {
    const c = await cluster('gvisor');
    const { outcome } = await runOnce(c, 'run-gvisor');
    expect(outcome.failed).toEqual([]);
    expect(outcome.state).toBe('succeeded');
    const host = first(c);
    const node = await c.access.node(await nodeName(host));
    expect(node?.runtimeHandlers.sort()).toEqual(['runc', 'runsc']);
    const config = parseToml(await sh(host, `cat ${CONFIG_TOML}`));
    expect(JSON.stringify(config)).not.toContain('default_runtime_name');
    expect(await sh(host, 'cat /etc/containerd/runsc.toml')).toContain('systemd-cgroup = "true"');
  });
});

describe("install.sh's helper scripts, then reset", () => {
  it('helper scripts and links are in place; the unit is Type=notify', async () => {
    const host = first(await cluster('gvisor'));
    const out = await sh(
      host,
      'stat -c "%n %a" /usr/local/bin/k3s-killall.sh /usr/local/bin/k3s-uninstall.sh; readlink /usr/local/bin/kubectl /usr/local/bin/crictl /usr/local/bin/ctr; systemctl show -p Type k3s',
    );
    expect(out.split('\n')).toEqual([
      '/usr/local/bin/k3s-killall.sh 755',
      '/usr/local/bin/k3s-uninstall.sh 755',
      'k3s',
      'k3s',
      'k3s',
      'Type=notify',
      '',
    ]);
  });

  it('k3s-killall.sh removes the network leftovers the stand-in made; reset then leaves nothing', async () => {
    const c = await cluster('gvisor');
    const host = first(c);
    const before = await leftovers(host);
    // What flannel, the bridge CNI plugin and kube-proxy leave on a real node.
    expect(before).toEqual(
      expect.arrayContaining([
        '/var/lib/cni',
        'link cni0',
        expect.stringMatching(/^netns cni-/) as string,
        expect.stringMatching(/^iptables: \d+ KUBE-\/CNI-\/flannel lines$/) as string,
      ]),
    );
    await host.runner.run('/usr/local/bin/k3s-killall.sh >/dev/null 2>&1');
    const afterKillall = await leftovers(host);
    expect(
      afterKillall.filter((l) => /^(link |netns |iptables: |ip6tables: |unit |mount )/.test(l)),
    ).toEqual([]);
    expect(afterKillall).not.toContain('/var/lib/cni');
    await reset(c, 'reset-final');
    expect(await leftovers(host)).toEqual([]);
  });
});

describe('a config containerd refuses, from outside the plan', () => {
  it("a stale default-runtime drop-in: the k3s step fails at once, in containerd's words", async () => {
    const c = await cluster('gvisor');
    const host = first(c);
    // What an earlier install (or a hand edit) may leave: config.yaml.d wins over config.yaml.
    await sh(
      host,
      "mkdir -p /etc/rancher/k3s/config.yaml.d && printf 'default-runtime: kata-clh\\n' > /etc/rancher/k3s/config.yaml.d/99-stale.yaml",
    );
    const started = Date.now();
    const { outcome } = await runOnce(c, 'run-stale-default');
    expect(outcome.state).toBe('failed');
    expect(outcome.failed).toEqual([
      expect.objectContaining({
        step: `k3s-server-init@${host.name}`,
        message: expect.stringContaining(
          'refused its configuration, so k3s cannot register the node: invalid plugin config: no corresponding runtime configured in `containerd.runtimes` for `containerd` `default_runtime_name = "kata-clh"`',
        ) as string,
        remedy: expect.stringContaining('/etc/rancher/k3s/config.yaml.d/*.yaml') as string,
      }),
    ]);
    // Told, not timed out: the wait policy allows 90 s.
    expect(Date.now() - started).toBeLessThan(60_000);
    await reset(c, 'reset-stale-default');
    expect(await leftovers(host)).toEqual([]);
  });
});
