/**
 * `nodeless apply/kubeconfig/reset` against real test hosts and the stand-in bundle, in
 * process (injected terminal and engine): an unknown host key exits 3 with the trust command;
 * `apply --dry-run` lists changes; `apply` installs; `kubeconfig --out` writes 0600 and the
 * real kubectl sees the nodes; a second `apply` changes nothing; `reset --yes` leaves every
 * host clean.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCliEngine, type CliEngine } from '../src/cli/deps.ts';
import {
  backendOptions,
  inv,
  leftoversOn,
  kubectl,
  readyNodes,
  setupWorld,
  type BootstrapWorld,
} from './bootstrap-fleet.ts';
import { runNodeless } from './cli-harness.ts';
import { tempDir } from './support.ts';

let world: BootstrapWorld;
let dir: string;

function nodeless(...args: string[]) {
  const opts = backendOptions(world);
  return runNodeless(args, {
    env: { USER: 'tester' },
    homeDir: world.home,
    cwd: dir,
    defaultDataDir: path.join(dir, 'state'),
    // The test hosts' limits (the stand-in's runtime check) in place of the product's.
    engine: (io): CliEngine => ({
      ...nodeCliEngine(io),
      checkOptions: opts.onboarding?.checkOptions ?? {},
      bootstrapOptions: opts.bootstrap ?? {},
    }),
  });
}

beforeAll(async () => {
  world = await setupWorld('bbc');
  dir = tempDir('bbc-cli');
  const hosts = [0, 1]
    .map(
      (i) => `    - ssh:
        address: ${inv(world, i).address}
        user: admin
        keyPath: ${inv(world, i).accounts.admin.keyPath}
        useAgent: false
      role: ${i === 0 ? 'server' : 'agent'}
      sudo: passwordless`,
    )
    .join('\n');
  fs.writeFileSync(
    path.join(dir, 'cluster.yaml'),
    `apiVersion: nodeless.dev/v1alpha1
kind: Cluster
metadata:
  name: bbc-lab
spec:
  hosts:
${hosts}
  sandbox: gvisor
  artifacts:
    mode: airgap
    bundlePath: ${world.bundleDir}
`,
  );
});

afterAll(async () => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await world?.release();
});

describe('nodeless apply / kubeconfig / reset', () => {
  it('stops with the trust command while host keys are unknown', async () => {
    const r = await nodeless('apply', '-f', 'cluster.yaml', '--dry-run');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`nodeless trust`);
    expect(r.stderr).toContain(inv(world, 0).hostKeySha256);
  });

  it('dry-run, apply, kubeconfig, re-apply, reset', async () => {
    fs.mkdirSync(path.join(world.home, '.ssh'), { recursive: true });
    fs.copyFileSync(world.fleet.knownHostsPath, path.join(world.home, '.ssh', 'known_hosts'));

    const dry = await nodeless('apply', '-f', 'cluster.yaml', '--dry-run');
    expect(dry.stderr).not.toMatch(/error/i);
    expect({ code: dry.code, err: dry.stderr }).toMatchObject({ code: 0 });
    expect(dry.stdout).toMatch(new RegExp(`${inv(world, 1).address}\\tchange\\t`));
    expect(dry.stdout).toMatch(/[1-9]\d* to change/);

    const apply = await nodeless('apply', '-f', 'cluster.yaml');
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).toContain('Done:');
    // Not a terminal: plain `host step state description` lines.
    expect(apply.stderr).toMatch(
      new RegExp(`^${inv(world, 1).address} k3s-agent-join@\\S+ done `, 'm'),
    );

    const file = path.join(dir, 'kube', 'config');
    const kc = await nodeless('kubeconfig', '-f', 'cluster.yaml', '--out', file);
    expect(kc.code).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const nodes = await readyNodes(file);
    expect(nodes.filter((n) => n.ready)).toHaveLength(2);
    // Served by the real kube-apiserver the stand-in k3s carries (not kube-sim).
    const version = JSON.parse(await kubectl(file, ['version', '-o', 'json'])) as {
      serverVersion: { gitVersion: string };
    };
    expect(version.serverVersion.gitVersion).toBe('v1.36.3');

    const again = await nodeless('apply', '-f', 'cluster.yaml');
    expect({ code: again.code, err: again.stderr }).toMatchObject({ code: 0 });
    expect(again.stderr).toContain('Nothing to change');

    const noTty = await nodeless('reset', '-f', 'cluster.yaml');
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('--yes');

    const reset = await nodeless('reset', '-f', 'cluster.yaml', '--yes');
    expect({ code: reset.code, err: reset.stderr }).toMatchObject({ code: 0 });
    for (const i of [0, 1]) expect(await leftoversOn(world, i)).toEqual([]);
    const gone = await nodeless('kubeconfig', '-f', 'cluster.yaml');
    expect(gone.code).toBe(1);
  });
});
