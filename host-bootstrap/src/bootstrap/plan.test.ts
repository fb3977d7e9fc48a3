import { describe, expect, it } from 'vitest';
import type { ExecResult, SshConnection } from '../connect/connection.ts';
import type { HostFacts } from '../facts/types.ts';
import type { PrivilegedRunner } from '../privilege/run.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BootstrapError } from './errors.ts';
import { localArtifact, parseBundle } from './bundle-manifest.ts';
import type { HostHandle } from './host.ts';
import { planCluster, resolveSandbox } from './plan.ts';
import type { Step } from '@nodeless/common';
import type { ClusterSpec } from './types.ts';

const ok: ExecResult = { stdout: '', stderr: '', code: 0, signal: undefined };
function handle(name: string, facts?: Partial<HostFacts>): HostHandle {
  const runner: PrivilegedRunner = { mode: 'root', pty: false, run: () => Promise.resolve(ok) };
  const connection: SshConnection = {
    label: name,
    user: 'admin',
    exec: () => Promise.resolve(ok),
    close: () => undefined,
    closed: false,
  };
  return {
    name,
    address: `10.0.0.${name.slice(1)}`,
    runner,
    connection,
    ...(facts ? { facts: facts as HostFacts } : {}),
  };
}

const bundle = parseBundle(
  JSON.stringify({
    schemaVersion: 1,
    arch: 'amd64',
    versions: { k3s: 'v1.36.3+k3s1' },
    files: [
      { name: 'k3s', sha256: 'a'.repeat(64), size: 10 },
      { name: 'k3s-airgap-images-amd64.tar.zst', sha256: 'b'.repeat(64), size: 5 },
      { name: 'kata-static-3.18.0-amd64.tar.xz', sha256: 'c'.repeat(64), size: 7 },
    ],
  }),
  '/bundle',
).artifacts;

const spec = (servers: string[], agents: string[]): ClusterSpec => ({
  name: 'c1',
  servers,
  agents,
  k3sVersion: 'v1.36.3+k3s1',
  sandbox: 'kata-clh',
  artifacts: { kind: 'bundle', path: '/bundle' },
  serverAddress: '10.0.0.1',
});

const cluster = (key: string): Step => ({
  key,
  phase: key === 'rc' ? 'cluster-baseline' : 'smoke-test',
  host: null,
  title: key,
  check: () => Promise.resolve({ satisfied: true, detail: '' }),
  apply: () => Promise.resolve(),
  verify: () => Promise.resolve({ satisfied: true, detail: '' }),
});

const hosts = (...names: string[]) => new Map(names.map((n) => [n, handle(n)]));

describe('planCluster', () => {
  it('orders waves: prepare, stage, first server, each joining server alone, agents together, sandbox server by server, baseline step by step', () => {
    const plan = planCluster(
      spec(['h1', 'h2', 'h3'], ['h4', 'h5']),
      hosts('h1', 'h2', 'h3', 'h4', 'h5'),
      { baseline: [cluster('ns'), cluster('rc')], smoke: [cluster('smoke')] },
      { bundle },
    );
    expect(plan.waves.map((w) => w.map((s) => s.key))).toEqual([
      ['prepare-os@h1', 'prepare-os@h2', 'prepare-os@h3', 'prepare-os@h4', 'prepare-os@h5'],
      [
        'stage-artifacts@h1',
        'stage-artifacts@h2',
        'stage-artifacts@h3',
        'stage-artifacts@h4',
        'stage-artifacts@h5',
      ],
      ['k3s-server-init@h1'],
      ['k3s-server-join@h2'],
      ['k3s-server-join@h3'],
      ['k3s-agent-join@h4', 'k3s-agent-join@h5'],
      ['sandbox-runtime@h1'],
      ['sandbox-runtime@h2'],
      ['sandbox-runtime@h3'],
      ['sandbox-runtime@h4', 'sandbox-runtime@h5'],
      ['ns'],
      ['rc'],
      ['smoke'],
    ]);
    const keys = plan.waves.flat().map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('rejects an even number of servers, unknown and duplicate hosts', () => {
    const steps = { baseline: [], smoke: [] };
    expect(() => planCluster(spec(['h1', 'h2'], []), hosts('h1', 'h2'), steps, { bundle })).toThrow(
      /1 or an odd number of servers \(got 2\)/,
    );
    expect(() => planCluster(spec(['h1'], ['x9', 'y8']), hosts('h1'), steps, { bundle })).toThrow(
      /Unknown hosts in the cluster spec: x9, y8/,
    );
    expect(() => planCluster(spec(['h1'], ['h1']), hosts('h1'), steps, { bundle })).toThrow(
      /listed twice: h1/,
    );
  });

  it('gVisor from a bundle without runsc is refused up front', () => {
    expect(() =>
      planCluster(
        { ...spec(['h1'], []), sandbox: 'gvisor' },
        hosts('h1'),
        { baseline: [], smoke: [] },
        { bundle },
      ),
    ).toThrow(/no gVisor runsc/);
  });
});

describe('k3s version', () => {
  const steps = { baseline: [], smoke: [] };
  it('refuses releases before v1.36, naming the field, whether online or from a bundle', () => {
    for (const [k3sVersion, artifacts] of [
      ['v1.33.4+k3s1', { kind: 'online' as const }],
      ['v1.35.9+k3s1-STAND-IN', { kind: 'bundle' as const, path: '/bundle' }],
    ] as const) {
      const attempt = () =>
        planCluster({ ...spec(['h1'], []), k3sVersion, artifacts }, hosts('h1'), steps, {
          bundle,
        });
      expect(attempt).toThrow(
        `spec.k3s.version (install option k3sVersion): k3s ${k3sVersion} is older than v1.36, which Nodeless needs (MutatingAdmissionPolicy is GA from Kubernetes 1.36); use v1.36.3+k3s1.`,
      );
    }
    expect(() =>
      planCluster(
        { ...spec(['h1'], []), k3sVersion: 'v1.36.3', artifacts: { kind: 'online' } },
        hosts('h1'),
        steps,
      ),
    ).toThrow(/spec\.k3s\.version .*"v1\.36\.3" is not a k3s release tag/);
    expect(() =>
      planCluster({ ...spec(['h1'], []), k3sVersion: 'v1.37.2+k3s1' }, hosts('h1'), steps, {
        bundle,
      }),
    ).not.toThrow();
  });
});

describe('sandbox artifacts', () => {
  const steps = { baseline: [], smoke: [] };
  const files = (...names: string[]) =>
    parseBundle(
      JSON.stringify({
        schemaVersion: 1,
        versions: { k3s: 'v1.36.3+k3s1' },
        files: ['k3s', ...names].map((name, i) => ({
          name,
          sha256: String(i).repeat(64),
          size: 1,
        })),
      }),
      '/bundle',
    ).artifacts;
  const staged = async (artifacts: ReturnType<typeof files>) => {
    const plan = planCluster(spec(['h1'], []), hosts('h1'), steps, { bundle: artifacts });
    const detail = await plan.waves[1]?.[0]?.check({
      signal: new AbortController().signal,
      progress: () => undefined,
      log: () => undefined,
    });
    return detail?.detail ?? '';
  };

  it('bundle: stages only the Kata tarball with the Go runtime (kata-go-static from 4.1)', async () => {
    const both = files('kata-static-4.1.0-amd64.tar.zst', 'kata-go-static-4.1.0-amd64.tar.zst');
    expect(await staged(both)).toBe(
      'Will upload and install k3s, kata-go-static-4.1.0-amd64.tar.zst',
    );
    expect(await staged(files('kata-static-3.21.0-amd64.tar.zst'))).toContain(
      'kata-static-3.21.0-amd64.tar.zst',
    );
    expect(() =>
      planCluster(spec(['h1'], []), hosts('h1'), steps, {
        bundle: files('kata-static-4.1.0-amd64.tar.zst'),
      }),
    ).toThrow(
      /only Kata's runtime-rs: from Kata 4\.1 the Go runtime \(and Firecracker\) ship in kata-go-static-4\.1\.0/,
    );
  });

  it('online Kata: refused without spec.artifacts.kataSha256, since Kata publishes no checksums', () => {
    const online = { ...spec(['h1'], []), artifacts: { kind: 'online' as const } };
    expect(() => planCluster(online, hosts('h1'), steps)).toThrow(
      'spec.artifacts.kataSha256 is required for an online Kata install: Kata publishes no checksums for kata-static-3.20.0-amd64.tar.xz, and Nodeless has none pinned for it.',
    );
    const withHash = {
      ...online,
      artifacts: { kind: 'online' as const, kataVersion: '4.1.0', kataSha256: 'c'.repeat(64) },
    };
    expect(() => planCluster(withHash, hosts('h1'), steps)).not.toThrow();
    expect(() =>
      planCluster(
        { ...withHash, artifacts: { ...withHash.artifacts, kataSha256: 'C0FFEE' } },
        hosts('h1'),
        steps,
      ),
    ).toThrow(/kataSha256 must be 64 lowercase hex/);
    // gVisor needs no user hash: its release publishes .sha512 files.
    expect(() => planCluster({ ...online, sandbox: 'gvisor' }, hosts('h1'), steps)).not.toThrow();
  });
});

describe("the meter's image archive", () => {
  const steps = { baseline: [], smoke: [] };
  const ctx = {
    signal: new AbortController().signal,
    progress: () => undefined,
    log: () => undefined,
  };
  const meterFile = { name: 'nodeless-meter-0.1.0.tar', sha256: 'd'.repeat(64), size: 3 };
  const withMeter = parseBundle(
    JSON.stringify({
      schemaVersion: 1,
      versions: { k3s: 'v1.36.3+k3s1' },
      files: [
        { name: 'k3s', sha256: 'a'.repeat(64), size: 10 },
        { name: 'kata-static-3.18.0-amd64.tar.xz', sha256: 'c'.repeat(64), size: 7 },
        meterFile,
      ],
    }),
    '/bundle',
  ).artifacts;

  it('bundle: staged on every machine, servers and agents (any node may run a meter replica)', async () => {
    const plan = planCluster(spec(['h1'], ['h2']), hosts('h1', 'h2'), steps, {
      bundle: withMeter,
    });
    const wave = plan.waves[1] ?? [];
    expect(wave.map((s) => s.key)).toEqual(['stage-artifacts@h1', 'stage-artifacts@h2']);
    for (const step of wave) {
      expect((await step.check(ctx)).detail).toBe(
        'Will upload and install nodeless-meter-0.1.0.tar, kata-static-3.18.0-amd64.tar.xz, k3s',
      );
    }
  });

  it('online: uploaded beside the release download, as its own check → apply → verify step', async () => {
    const online = { ...spec(['h1'], []), sandbox: 'gvisor' as const };
    const image = { ...meterFile, role: 'meter-image' as const, localPath: '/app/meter.tar' };
    const plan = planCluster({ ...online, artifacts: { kind: 'online' } }, hosts('h1'), steps, {
      images: [image],
    });
    const wave = plan.waves[1] ?? [];
    expect(wave.map((s) => s.key)).toEqual(['stage-artifacts@h1', 'stage-images@h1']);
    expect(wave[1]?.title).toBe('Upload images to h1');
    expect((await wave[1]?.check(ctx))?.detail).toBe(
      'Will upload and install nodeless-meter-0.1.0.tar',
    );
    // Without images, the online plan is what it was.
    const bare = planCluster({ ...online, artifacts: { kind: 'online' } }, hosts('h1'), steps);
    expect(bare.waves[1]?.map((s) => s.key)).toEqual(['stage-artifacts@h1']);
  });

  it('bundle: a bundle file wins over an extra image of the same name', async () => {
    const other = { ...meterFile, sha256: 'e'.repeat(64), role: 'meter-image' as const };
    const plan = planCluster(spec(['h1'], []), hosts('h1'), steps, {
      bundle: withMeter,
      images: [{ ...other, localPath: '/elsewhere/nodeless-meter-0.1.0.tar' }],
    });
    const detail = (await plan.waves[1]?.[0]?.check(ctx))?.detail ?? '';
    expect(detail.match(/nodeless-meter-0\.1\.0\.tar/g)).toHaveLength(1);
  });

  it('localArtifact: sha256 and size of a file on the desktop; a missing one says how to build it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-artifact-'));
    try {
      const file = path.join(dir, 'nodeless-meter-0.1.0.tar');
      fs.writeFileSync(file, 'abc');
      expect(await localArtifact(file)).toEqual({
        name: 'nodeless-meter-0.1.0.tar',
        // sha256("abc")
        sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
        size: 3,
        role: 'meter-image',
        localPath: file,
      });
      const missing = localArtifact(path.join(dir, 'nodeless-meter-9.tar'));
      await expect(missing).rejects.toBeInstanceOf(BootstrapError);
      await expect(missing).rejects.toMatchObject({
        remedy: expect.stringContaining('npm run build:meter-image') as unknown,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('resolveSandbox', () => {
  const ready: Partial<HostFacts> = {
    arch: 'x86_64',
    kvm: { status: 'usable', apiVersion: 12, detail: '' },
    vhostVsock: 'loaded',
    vhostNet: 'loadable',
  };
  it('auto → kata-clh when every host is microVM-ready, else gvisor', () => {
    expect(resolveSandbox('auto', [handle('h1', ready), handle('h2', ready)])).toBe('kata-clh');
    expect(
      resolveSandbox('auto', [
        handle('h1', ready),
        handle('h2', { ...ready, kvm: { status: 'absent', apiVersion: undefined, detail: '' } }),
      ]),
    ).toBe('gvisor');
    expect(resolveSandbox('auto', [handle('h1')])).toBe('gvisor');
    expect(resolveSandbox('kata-qemu', [handle('h1')])).toBe('kata-qemu');
  });
});
