/**
 * Shared setup of the backend bootstrap tests: the `bbk` fleet (2 Debian test hosts with real
 * sshd and systemd; 16 GiB sparse disks so the disk rule passes), the stand-in airgap bundle,
 * and a backend whose onboarding uses an empty home. Test hosts have no usable KVM, so the
 * tests choose gVisor (`runsc` from the bundle) — no runtime check is overridden.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeBundle } from '../../testkit/src/bundle/index.ts';
import { useFleet, type Fleet, type HostInventory } from '../../testkit/src/hosts/index.ts';
import type { BootstrapStreamEvent, OnboardingEvent, RunView } from '../src/api/index.ts';
import type { BackendOptions, RunningBackend } from '../src/backend.ts';
import { SseReader, client, tempDir } from './support.ts';

export const FLEET = { count: 2, prefix: 'bbk', diskMiB: 16_384 } as const;
const run = promisify(execFile);

export interface BootstrapWorld {
  fleet: Fleet;
  hosts: readonly HostInventory[];
  home: string;
  bundleDir: string;
  k3sVersion: string;
  /** The busybox among the bundle's airgap images (what the smoke test must run). */
  smokeImage: string;
  release(): Promise<void>;
}

export async function setupWorld(
  prefix: string = FLEET.prefix,
  count: number = FLEET.count,
): Promise<BootstrapWorld> {
  const home = tempDir(`${prefix}-home`);
  const bundleDir = path.join(home, 'bundle');
  const manifest = await writeBundle({ outDir: bundleDir });
  const { fleet, release } = await useFleet({ ...FLEET, prefix, count });
  return {
    fleet,
    hosts: fleet.inventory().hosts,
    home,
    bundleDir,
    k3sVersion: manifest.versions.k3s,
    smokeImage: manifest.images.find((i) => i.includes('busybox')) ?? 'no busybox in the bundle',
    release: async () => {
      fs.rmSync(home, { recursive: true, force: true });
      await release();
    },
  };
}

export function backendOptions(
  world: BootstrapWorld,
): Pick<BackendOptions, 'onboarding' | 'bootstrap'> {
  const connect = {
    timeouts: { connectMs: 5_000, commandMs: 60_000 },
    keepalive: { intervalMs: 1_000, countMax: 3 },
    retry: { attempts: 2, baseDelayMs: 100, maxDelayMs: 200 },
  };
  return {
    onboarding: {
      homeDir: world.home,
      env: { USER: 'tester' },
      checkOptions: {
        concurrency: 2,
        ...connect,
        timeouts: { connectMs: 5_000, commandMs: 20_000 },
      },
    },
    bootstrap: {
      concurrency: 4,
      wait: { timeoutMs: 90_000, intervalMs: 500 },
      nodesReadyTimeoutMs: 90_000,
      smokeTimeoutMs: 90_000,
      connect,
    },
  };
}

export function inv(world: BootstrapWorld, i: number): HostInventory {
  const h = world.hosts[i];
  if (!h) throw new Error(`fleet has no host #${i}`);
  return h;
}

/** Runs the real /usr/bin/kubectl with `kubeconfig`. */
export async function kubectl(kubeconfig: string, args: string[]): Promise<string> {
  const r = await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], {
    timeout: 30_000,
  });
  return r.stdout;
}

/** Node names and Ready condition as kubectl reports them. */
export async function readyNodes(kubeconfig: string): Promise<{ name: string; ready: boolean }[]> {
  const list = JSON.parse(await kubectl(kubeconfig, ['get', 'nodes', '-o', 'json'])) as {
    items: {
      metadata: { name: string };
      status?: { conditions?: { type: string; status: string }[] };
    }[];
  };
  return list.items.map((n) => ({
    name: n.metadata.name,
    ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
  }));
}

/** What of k3s/Kata/gVisor/Nodeless is left on a test host (empty = clean). */
export async function leftoversOn(world: BootstrapWorld, i: number): Promise<string[]> {
  const host = world.fleet.hosts[i];
  if (!host) throw new Error(`fleet has no host #${i}`);
  const r = await host.exec([
    'sh',
    '-c',
    'for p in /usr/local/bin/k3s /usr/local/bin/runsc /usr/local/bin/containerd-shim-runsc-v1 /etc/rancher /var/lib/rancher /opt/kata /etc/systemd/system/k3s.service /etc/systemd/system/k3s-agent.service; do [ -e "$p" ] && echo "$p"; done; true',
  ]);
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * The `run.finished` of `runId` on a `bootstrap.events` reader (not an interrupted replay),
 * among the events from index `since` on (pass `reader.events.length` before a Resume).
 */
export async function runFinished(
  reader: SseReader,
  runId: string,
  { timeoutMs = 240_000, since = 0 }: { timeoutMs?: number; since?: number } = {},
): Promise<RunView> {
  const e = (await reader.waitFor(
    (x) =>
      reader.events.indexOf(x) >= since &&
      (x as BootstrapStreamEvent).type === 'run.finished' &&
      (x as { run: RunView }).run.id === runId &&
      // The replay of an interrupted run is not the end of its resumption.
      (x as { run: RunView }).run.state !== 'interrupted',
    timeoutMs,
  )) as Extract<BootstrapStreamEvent, { type: 'run.finished' }>;
  return e.run;
}

/** Trusts each host's real key (fleet order = `hostIds` order), then checks and waits. */
export async function trustAndCheck(
  backend: RunningBackend,
  world: BootstrapWorld,
  clusterId: string,
  hostIds: readonly string[],
): Promise<void> {
  const api = client(backend);
  for (const [i, id] of hostIds.entries()) {
    await api.onboarding.trustHostKey.mutate({
      hostId: id,
      fingerprint: inv(world, i).hostKeySha256,
    });
  }
  const checks = await SseReader.open(backend, {
    path: 'onboarding.events',
    input: { clusterId },
    ready: null,
  });
  const { checkId } = await api.onboarding.check.mutate({ clusterId });
  await checks.waitFor(
    (e) =>
      (e as OnboardingEvent).type === 'check.finished' &&
      (e as { checkId: string }).checkId === checkId,
    90_000,
  );
  await checks.close();
}
