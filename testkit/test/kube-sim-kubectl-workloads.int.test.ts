/**
 * The real kubectl v1.36.3 against both substrates driving workloads: kube-sim's simulated
 * cluster (10× time) and the real control plane's controllers with KWOK nodes:
 * apply of the app manifest, watch, rollouts, logs, wait, scale, set image + undo, field
 * selectors and cascading delete. Each step asserts on what kubectl printed; later steps use
 * what the manifest created.
 *
 * @see ./kube-sim-kubectl-api.int.test.ts — discovery, CRDs, typed create, patches, SSA
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitFor } from './kube-sim-helpers.ts';
import { simIt, useKubectlSuite } from './kube-sim-kubectl-helpers.ts';
import { SUBSTRATES } from './kube-sim-substrates.ts';

const MANIFEST = fileURLToPath(new URL('./fixtures/kube-sim-app.yaml', import.meta.url));

describe.each(SUBSTRATES)('%s with the real kubectl', (name, start) => {
  const k = useKubectlSuite(name, start);
  const { ok, deployment } = k;

  it('applies a multi-document manifest, then finds it unchanged', async () => {
    const out = await ok('apply', '-f', MANIFEST);
    for (const line of [
      'configmap/web-config created',
      'deployment.apps/web created',
      'service/web created',
      'horizontalpodautoscaler.autoscaling/web created',
      'job.batch/once created',
      'cronjob.batch/tick created',
    ]) {
      expect(out).toContain(line);
    }
    const again = await k.kubectl(['apply', '-f', MANIFEST]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    // The HPA may have scaled `web` meanwhile, which apply then reverts ("configured").
    for (const o of [
      'configmap/web-config',
      'service/web',
      'horizontalpodautoscaler.autoscaling/web',
      'job.batch/once',
      'cronjob.batch/tick',
    ]) {
      expect(again.stdout).toContain(`${o} unchanged`);
    }
    expect(again.stdout).toMatch(/deployment\.apps\/web (unchanged|configured)/);
    // kubectl upgrades client-side-apply ownership to server-side apply. The HPA may have
    // changed `replicas` meanwhile (a genuine conflict upstream too), hence --force-conflicts.
    const ssa = await k.kubectl(['apply', '--server-side', '--force-conflicts', '-f', MANIFEST]);
    expect(ssa.stderr).toBe('');
    expect(ssa.stdout.match(/serverside-applied/g)).toHaveLength(6);
    const svc = await ok('get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}');
    expect(svc).toMatch(/^10\.43\.\d+\.\d+$/);
  });

  simIt('watches pods with get -w until they are Running', async () => {
    const child = spawn(
      k.env.kubectlBinary,
      ['--kubeconfig', k.env.kubeconfigPath, 'get', 'pods', '-l', 'app=web', '-w', '--no-headers'],
      { env: { PATH: process.env['PATH'] ?? '', HOME: k.env.dir } },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      // The HPA may already have scaled `web` down to its minimum of one replica.
      const running = await waitFor('a Running web pod in kubectl get -w', () => {
        const names = new Set(
          out
            .split('\n')
            .filter((l) => /\s1\/1\s+Running\s/.test(l))
            .map((l) => l.split(/\s+/)[0]),
        );
        return names.size >= 1 ? names : undefined;
      });
      expect([...running].every((n) => n?.startsWith('web-'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
  });

  simIt('reports rollout status and serves logs', async () => {
    expect(await ok('rollout', 'status', 'deployment/web', '--timeout=60s')).toContain(
      'deployment "web" successfully rolled out',
    );
    // The HPA may be scaling `web` meanwhile: pick a Running pod on every attempt.
    const tail = await waitFor('a Running web pod with log lines', async () => {
      const name = (
        await ok(
          'get',
          'pods',
          '-l',
          'app=web',
          '--field-selector=status.phase=Running',
          '-o',
          'jsonpath={.items[0].metadata.name}',
        )
      ).trim();
      if (name === '') return undefined;
      const all = await k.kubectl(['logs', name]);
      const last = await k.kubectl(['logs', name, '--tail=1']);
      return all.code === 0 && last.code === 0 && all.stdout.trim() !== ''
        ? last.stdout
        : undefined;
    });
    expect(tail.trim().split('\n')).toHaveLength(1);
  });

  simIt('waits for a Job to complete', async () => {
    expect(await ok('wait', '--for=condition=complete', 'job/once', '--timeout=60s')).toContain(
      'job.batch/once condition met',
    );
  });

  simIt('scales, sets an image and rolls it back', async () => {
    await deployment('api', 'nginx:1.25', 1);
    expect(await ok('scale', 'deployment/api', '--replicas=3')).toContain(
      'deployment.apps/api scaled',
    );
    await ok('rollout', 'status', 'deployment/api', '--timeout=60s');
    expect(await ok('get', 'deployment', 'api', '-o', 'jsonpath={.status.readyReplicas}')).toBe(
      '3',
    );
    expect(await ok('set', 'image', 'deployment/api', 'nginx=nginx:1.26')).toContain(
      'deployment.apps/api image updated',
    );
    expect(await ok('rollout', 'status', 'deployment/api', '--timeout=60s')).toContain(
      'successfully rolled out',
    );
    expect(await ok('rollout', 'undo', 'deployment/api')).toContain(
      'deployment.apps/api rolled back',
    );
    await ok('rollout', 'status', 'deployment/api', '--timeout=60s');
    expect(
      await ok(
        'get',
        'deployment',
        'api',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ),
    ).toBe('nginx:1.25');
  });

  simIt('selects pods by field', async () => {
    const running = await ok(
      'get',
      'pods',
      '--field-selector=status.phase=Running',
      '-l',
      'app=web',
      '-o',
      'jsonpath={.items[*].spec.nodeName}',
    );
    const nodes = running.trim().split(' ');
    expect(nodes.length).toBeGreaterThanOrEqual(1);
    const onNode = await ok(
      'get',
      'pods',
      '-A',
      `--field-selector=spec.nodeName=${nodes[0] ?? ''}`,
      '-o',
      'jsonpath={.items[*].spec.nodeName}',
    );
    expect(new Set(onNode.trim().split(' '))).toEqual(new Set([nodes[0]]));
    const none = await k.kubectl(['get', 'pods', '--field-selector=spec.nodeName=no-such-node']);
    expect(none.stderr).toContain('No resources found in default namespace.');
  });

  simIt('deletes with cascade: foreground removes dependents, orphan keeps them', async () => {
    await deployment('gone', 'nginx:1.25', 2);
    await ok('rollout', 'status', 'deployment/gone', '--timeout=60s');
    expect(await ok('delete', 'deployment', 'gone', '--cascade=foreground')).toContain(
      'deployment.apps "gone" deleted',
    );
    const left = await k.kubectl(['get', 'replicasets,pods', '-l', 'app=gone']);
    expect(left.stderr).toContain('No resources found');
    await deployment('kept', 'nginx:1.25', 1);
    await ok('rollout', 'status', 'deployment/kept', '--timeout=60s');
    await ok('delete', 'deployment', 'kept', '--cascade=orphan');
    const owners = await ok(
      'get',
      'replicasets',
      '-l',
      'app=kept',
      '-o',
      'jsonpath={.items[*].metadata.ownerReferences}',
    );
    expect(owners.trim()).toBe('');
    expect(await ok('get', 'replicasets', '-l', 'app=kept', '-o', 'name')).toMatch(
      /^replicaset\.apps\/kept-/,
    );
  });
});
