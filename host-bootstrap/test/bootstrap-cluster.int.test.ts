/**
 * The bootstrap engine against real test hosts with the stand-in airgap bundle: 1 server +
 * 2 agents through planCluster + runPlan, checked with the real kubectl; an SSH cut during the
 * upload and a resume that sends no completed file again; a second run and a preview that
 * change nothing; power-off mid-install; a wrong join token; remove an agent; reset.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TransferMeter,
  leftovers,
  previewPlan,
  removeHostPlan,
  resetPlan,
  uninstallStep,
  runPlan,
  MemoryJournal,
  type HostHandle,
} from '../src/bootstrap/index.ts';
import {
  buildCluster,
  closeHandles,
  kubectl,
  nodes,
  runOnce,
  setupBootWorld,
  type BootWorld,
  type Cluster,
} from './bootstrap-helpers.ts';

let world: BootWorld;
let kubeconfigPath: string;
const open: Cluster[] = [];

const shape = () => ({
  name: 'boot-a',
  servers: [world.hosts[0]?.name ?? ''],
  agents: [world.hosts[1]?.name ?? '', world.hosts[2]?.name ?? ''],
  kubeconfigPath,
});

async function cluster(options: Parameters<typeof buildCluster>[2] = {}): Promise<Cluster> {
  const c = await buildCluster(world, shape(), options);
  open.push(c);
  return c;
}

/** The latest cluster handle set opened (any open one serves for root commands). */
function c0(): Cluster {
  const c = open[open.length - 1];
  if (!c) throw new Error('no cluster handles open');
  return c;
}

function fleetHost(i: number) {
  const h = world.fleet.hosts[i];
  if (!h) throw new Error(`no host ${i}`);
  return h;
}

beforeAll(async () => {
  world = await setupBootWorld('bsa', 3);
  kubeconfigPath = join(world.dir, 'kubeconfig.yaml');
  // Start from clean machines even when the fleet is reused from an earlier run.
  const c = await cluster();
  const journal = new MemoryJournal();
  await runPlan(
    { cluster: 'reset', waves: [[...c.hosts.values()].map(uninstallStep)] },
    { runId: 'pre-clean', journal, concurrency: 3 },
  );
});

afterAll(async () => {
  for (const c of open) closeHandles(c.hosts);
  await world?.release();
});

describe('1 server + 2 agents', () => {
  it('preview on fresh hosts lists every step as a change', async () => {
    const c = await cluster();
    const items = await previewPlan(c.plan);
    expect(items.filter((i) => i.host !== null).every((i) => i.willChange)).toBe(true);
    expect(items.map((i) => i.phase)).toContain('k3s-agent-join');
  });

  it('an SSH cut during the bundle upload fails that host; resume sends no completed file again', async () => {
    const meter = new TransferMeter();
    // Small chunks so the k3s binary (1.5 MB) takes many commands and the cut lands mid-file.
    const c = await cluster({ meter, chunkBytes: 64 * 1024, maxUploads: 2 });
    const victim = fleetHost(2);
    let cut = false;
    // The step's progress counts the files staged before k3s (the meter's image archive is
    // one): the cut lands 256 KiB into k3s itself, counted from its first progress event.
    let k3sFrom: number | undefined;
    const { outcome } = await runOnce(c, 'run-1', {
      onEvent: (e) => {
        if (
          cut ||
          e.host !== victim.name ||
          e.phase !== 'stage-artifacts' ||
          !/Uploading k3s$/.test(e.description)
        )
          return;
        k3sFrom ??= e.current;
        if (e.current > k3sFrom + 256 * 1024) {
          cut = true;
          void victim.cutNetwork();
        }
      },
    });
    await victim.restoreNetwork();
    expect(cut).toBe(true);
    expect(outcome.state).toBe('failed');
    expect(outcome.failed.map((f) => f.host)).toEqual([victim.name]);
    const sentBefore = meter.perHost.get(victim.name) ?? 0;
    const k3s = world.artifacts.find((a) => a.role === 'k3s');
    expect(sentBefore).toBeLessThan(world.artifacts.reduce((n, a) => n + a.size, 0));

    const resumeMeter = new TransferMeter();
    const again = await cluster({ meter: resumeMeter, chunkBytes: 64 * 1024 });
    const { outcome: resumed, journal } = await runOnce(again, 'run-1');
    expect(resumed.failed).toEqual([]);
    expect(resumed.state).toBe('succeeded');
    // Healthy hosts upload nothing; the victim only the rest of the k3s binary.
    expect(resumeMeter.perHost.get(fleetHost(0).name) ?? 0).toBe(0);
    expect(resumeMeter.perHost.get(fleetHost(1).name) ?? 0).toBe(0);
    const resent = resumeMeter.perHost.get(victim.name) ?? 0;
    expect(resent).toBeGreaterThan(0);
    expect(resent).toBeLessThan(k3s?.size ?? 0);
    const states = new Map(journal.entries('run-1').map((e) => [e.step, e.state]));
    expect(states.get(`stage-artifacts@${fleetHost(0).name}`)).toBe('unchanged');
    expect(states.get(`stage-artifacts@${victim.name}`)).toBe('done');
  });

  it('the kubeconfig works with the real kubectl: 3 Ready nodes and the RuntimeClasses', async () => {
    const list = await nodes(kubeconfigPath);
    expect(list.map((n) => n.name).sort()).toEqual(world.hosts.map((h) => h.name).sort());
    expect(list.every((n) => n.ready)).toBe(true);
    const rc = await kubectl(kubeconfigPath, ['get', 'runtimeclass', '-o', 'name']);
    expect(rc).toContain('runtimeclass.node.k8s.io/gvisor');
    const node = JSON.parse(
      await kubectl(kubeconfigPath, ['get', 'node', world.hosts[1]?.name ?? '', '-o', 'json']),
    ) as {
      metadata: { labels: Record<string, string> };
      status: {
        runtimeHandlers?: Array<{ name: string }>;
        images?: Array<{ names: string[] }>;
      };
    };
    expect(node.metadata.labels['nodeless.dev/sandbox']).toBe('gvisor');
    // The bundle's meter image was staged into agent/images on this agent too, and imported.
    const meter = world.artifacts.find((a) => a.role === 'meter-image');
    expect(meter?.name).toMatch(/^nodeless-meter-.+\.tar$/);
    expect(node.status.images?.flatMap((i) => i.names)).toContain(
      `nodeless.dev/meter:${meter?.name.slice('nodeless-meter-'.length, -'.tar'.length) ?? ''}`,
    );
    expect(node.status.runtimeHandlers?.map((h) => h.name)).toContain('runsc');
    // Handlers are the runtimes table's keys, never its sub-tables.
    expect(node.status.runtimeHandlers?.map((h) => h.name)).not.toContain('runsc.options');
    // The gVisor binaries came from the bundle, root-owned, and answer as runsc does.
    const agent = c0().hosts.get(world.hosts[1]?.name ?? '') as HostHandle;
    const v = await agent.runner.run(
      'stat -c "%U %a" /usr/local/bin/runsc /usr/local/bin/containerd-shim-runsc-v1 && /usr/local/bin/runsc --version && { [ -e /opt/kata ] || echo no-kata; }',
    );
    expect(v.stdout).toMatch(
      /^root 755\nroot 755\nrunsc version release-\d{8}\.\d+-STAND-IN\nspec: \S+\nno-kata\n$/,
    );
  });

  it('a second run changes nothing and a preview lists no changes', async () => {
    const c = await cluster();
    const { outcome, journal } = await runOnce(c, 'run-2');
    expect(outcome.state).toBe('succeeded');
    expect(outcome.changed).toEqual([]);
    expect(journal.entries('run-2').every((e) => e.state === 'unchanged')).toBe(true);
    const items = await previewPlan(c.plan);
    expect(items.filter((i) => i.willChange)).toEqual([]);
  });

  it('remove an agent: node deleted, host clean', async () => {
    const c = await cluster();
    const victim = c.hosts.get(fleetHost(2).name) as HostHandle;
    const out = await runPlan(removeHostPlan('boot-a', victim), {
      runId: 'remove',
      journal: new MemoryJournal(),
      concurrency: 1,
    });
    expect(out.state).toBe('succeeded');
    // k3s stopped first, so its kubelet cannot register the Node again.
    await kubectl(kubeconfigPath, ['delete', 'node', victim.name]);
    expect(await leftovers(victim)).toEqual([]);
    expect((await nodes(kubeconfigPath)).map((n) => n.name)).not.toContain(victim.name);
  });

  it('a host powered off mid-install: the run fails there only; after boot, resume converges', async () => {
    const victim = fleetHost(2);
    const c = await cluster();
    let off: Promise<void> | undefined;
    const { outcome } = await runOnce(c, 'run-3', {
      onEvent: (e) => {
        if (
          !off &&
          e.host === victim.name &&
          e.phase === 'k3s-agent-join' &&
          e.state === 'applying'
        ) {
          off = victim.powerOff();
        }
      },
    });
    await off;
    expect(off).toBeDefined();
    expect(outcome.state).toBe('failed');
    expect(outcome.failed.map((f) => f.host)).toEqual([victim.name]);
    await victim.boot();
    const again = await cluster();
    const { outcome: resumed } = await runOnce(again, 'run-3');
    expect(resumed.failed).toEqual([]);
    expect(resumed.state).toBe('succeeded');
    const list = await nodes(kubeconfigPath);
    expect(
      list
        .filter((n) => n.ready)
        .map((n) => n.name)
        .sort(),
    ).toEqual(world.hosts.map((h) => h.name).sort());
  });

  it('a wrong join token: a clear error on that host, the others untouched', async () => {
    const c = await cluster();
    const victim = c.hosts.get(fleetHost(2).name) as HostHandle;
    await runPlan(removeHostPlan('boot-a', victim), {
      runId: 'remove-2',
      journal: new MemoryJournal(),
      concurrency: 1,
    });
    await kubectl(kubeconfigPath, ['delete', 'node', victim.name]);
    // A stale drop-in from an earlier cluster: config.yaml.d wins over config.yaml.
    await fleetHost(2).exec(
      "mkdir -p /etc/rancher/k3s/config.yaml.d && printf 'token: stale-secret-of-an-old-cluster\\n' > /etc/rancher/k3s/config.yaml.d/99-stale.yaml",
    );
    const { outcome, journal } = await runOnce(await cluster(), 'run-4');
    expect(outcome.state).toBe('failed');
    expect(outcome.failed).toHaveLength(1);
    expect(outcome.failed[0]?.host).toBe(victim.name);
    expect(outcome.failed[0]?.message).toMatch(/join token is wrong/);
    expect(outcome.failed[0]?.remedy).toMatch(/config\.yaml\.d/);
    const states = new Map(journal.entries('run-4').map((e) => [e.step, e.state]));
    expect(states.get(`k3s-server-init@${fleetHost(0).name}`)).toBe('unchanged');
    expect(states.get(`k3s-agent-join@${fleetHost(1).name}`)).toBe('unchanged');
    expect(states.get(`sandbox-runtime@${fleetHost(1).name}`)).toBe('cancelled');
    // Fix the cause, resume: converges.
    await fleetHost(2).exec('rm -rf /etc/rancher/k3s/config.yaml.d');
    const { outcome: resumed } = await runOnce(await cluster(), 'run-4');
    expect(resumed.state).toBe('succeeded');
  });

  it('reset: every host clean (no k3s unit, no /opt/kata, no /etc/rancher, no CNI/flannel/kube-proxy leftovers)', async () => {
    const c = await cluster();
    const hosts = [...c.hosts.values()];
    // The stand-in left what flannel, the bridge plugin and kube-proxy leave on real nodes.
    for (const h of hosts)
      expect(await leftovers(h)).toEqual(
        expect.arrayContaining([
          '/var/lib/cni',
          'link cni0',
          expect.stringMatching(/^netns cni-/) as string,
          expect.stringMatching(/^iptables: \d+ KUBE-\/CNI-\/flannel lines$/) as string,
        ]),
      );
    const out = await runPlan(resetPlan('boot-a', hosts), {
      runId: 'reset',
      journal: new MemoryJournal(),
      concurrency: 3,
    });
    expect(out.state).toBe('succeeded');
    for (const h of hosts) {
      expect(await leftovers(h)).toEqual([]);
      const r = await h.runner.run(
        'systemctl cat k3s >/dev/null 2>&1 || systemctl cat k3s-agent >/dev/null 2>&1 || echo no-unit; [ -e /opt/kata ] || [ -e /etc/rancher ] || echo no-files',
      );
      expect(r.stdout.split('\n')).toEqual(['no-unit', 'no-files', '']);
    }
  });
});
