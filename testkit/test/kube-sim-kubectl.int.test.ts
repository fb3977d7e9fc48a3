/**
 * The real kubectl against kube-sim (with the simulated cluster at 10× time): apply, watch,
 * rollouts, scale, set image + undo, logs, wait, the three patch types, server-side apply
 * conflicts, cascading delete, field selectors, api-resources and explain. Each step asserts on
 * what kubectl printed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasKubectl,
  hasSimulation,
  KUBECTL,
  startHarness,
  waitFor,
  type Harness,
} from './kube-sim-helpers.ts';

const MANIFEST = fileURLToPath(new URL('./fixtures/kube-sim-app.yaml', import.meta.url));
if (!hasKubectl)
  console.warn(
    `kube-sim kubectl suite skipped: ${KUBECTL} is missing (apt-get install kubernetes-client)`,
  );
if (!hasSimulation)
  console.warn(
    'kube-sim kubectl suite: simulation scenarios skipped: testkit/src/kube-sim/sim/index.ts is missing',
  );

describe.skipIf(!hasKubectl)('kube-sim with the real kubectl', () => {
  let h: Harness;
  const ok = async (...args: string[]): Promise<string> => {
    const r = await h.kubectl(args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  const simIt = hasSimulation ? it : it.skip;
  /** Creates a Deployment through `kubectl apply` (typed `kubectl create` speaks protobuf). */
  const deployment = async (name: string, image: string, replicas: number): Promise<void> => {
    const yaml = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: {name: ${name}, labels: {app: ${name}}}`,
      'spec:',
      `  replicas: ${replicas}`,
      `  selector: {matchLabels: {app: ${name}}}`,
      '  template:',
      `    metadata: {labels: {app: ${name}}}`,
      `    spec: {containers: [{name: nginx, image: "${image}"}]}`,
    ].join('\n');
    const r = await h.kubectl(['apply', '-f', '-'], yaml);
    if (r.code !== 0) throw new Error(`apply ${name} failed: ${r.stderr}`);
  };

  beforeAll(async () => {
    h = await startHarness({ nodes: 3, timeScale: 10 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('lists api-resources from aggregated discovery', async () => {
    const out = await ok('api-resources');
    expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(out).toMatch(
      /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m,
    );
    expect(out).toMatch(/^pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics$/m);
    expect(out).toMatch(
      /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m,
    );
  });

  it('explains pod.spec from the OpenAPI v3 subset', async () => {
    const out = await ok('explain', 'pod.spec');
    expect(out).toMatch(/KIND:\s+Pod/);
    expect(out).toMatch(/containers\s+<\[\]Container> -required-/);
    expect(out).toMatch(/restartPolicy\s+<string>/);
  });

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
    const again = await h.kubectl(['apply', '-f', MANIFEST]);
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
    const ssa = await h.kubectl(['apply', '--server-side', '--force-conflicts', '-f', MANIFEST]);
    expect(ssa.stderr).toBe('');
    expect(ssa.stdout.match(/serverside-applied/g)).toHaveLength(6);
    const svc = await ok('get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}');
    expect(svc).toMatch(/^10\.43\.\d+\.\d+$/);
  });

  simIt('watches pods with get -w until they are Running', async () => {
    const child = spawn(
      KUBECTL,
      ['--kubeconfig', h.kubeconfig, 'get', 'pods', '-l', 'app=web', '-w', '--no-headers'],
      { env: { PATH: process.env['PATH'] ?? '', HOME: h.dir } },
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
      const all = await h.kubectl(['logs', name]);
      const last = await h.kubectl(['logs', name, '--tail=1']);
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

  it('serves custom resources once their CRD is created', async () => {
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: {name: widgets.example.com}',
      'spec:',
      '  group: example.com',
      '  scope: Namespaced',
      '  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}',
      '  versions:',
      '    - name: v1',
      '      served: true',
      '      storage: true',
      '      schema:',
      '        openAPIV3Schema:',
      '          type: object',
      '          properties:',
      '            spec: {type: object, properties: {size: {type: integer}}}',
    ].join('\n');
    const applied = await h.kubectl(['apply', '-f', '-'], crd);
    expect(applied.stdout).toContain(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created',
    );
    expect(
      await ok('wait', '--for=condition=established', 'crd/widgets.example.com', '--timeout=30s'),
    ).toContain('condition met');
    const cr = await h.kubectl(
      ['apply', '-f', '-'],
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n',
    );
    expect(cr.stdout).toContain('widget.example.com/w1 created');
    expect(await ok('get', 'wd', 'w1', '-o', 'jsonpath={.spec.size}')).toBe('3');
    expect(await ok('get', 'widgets')).toMatch(/^NAME\s+AGE\nw1\s+\d+s\n$/);
    await ok('patch', 'widget', 'w1', '--type=merge', '-p', '{"spec":{"size":4}}');
    expect(await ok('get', 'widget', 'w1', '-o', 'jsonpath={.spec.size}')).toBe('4');
    expect(await ok('delete', 'widget', 'w1')).toContain('widget.example.com "w1" deleted');
  });

  it('accepts the protobuf bodies of typed kubectl create, run and auth can-i', async () => {
    expect(await ok('create', 'namespace', 'typed')).toContain('namespace/typed created');
    expect(await ok('-n', 'typed', 'create', 'configmap', 'cfg', '--from-literal=a=b')).toContain(
      'configmap/cfg created',
    );
    expect(await ok('-n', 'typed', 'get', 'configmap', 'cfg', '-o', 'jsonpath={.data.a}')).toBe(
      'b',
    );
    expect(
      await ok('-n', 'typed', 'create', 'secret', 'generic', 's', '--from-literal=k=v'),
    ).toContain('secret/s created');
    expect(await ok('-n', 'typed', 'get', 'secret', 's', '-o', 'jsonpath={.data.k}')).toBe(
      Buffer.from('v').toString('base64'),
    );
    await ok(
      '-n',
      'typed',
      'create',
      'deployment',
      'd',
      '--image=nginx:1.25',
      '--replicas=0',
      '--port=8080',
    );
    expect(
      await ok(
        '-n',
        'typed',
        'get',
        'deployment',
        'd',
        '-o',
        'jsonpath={.spec.replicas} {.spec.strategy.type} {.spec.template.spec.containers[0].ports[0].containerPort}',
      ),
    ).toBe('0 RollingUpdate 8080');
    await ok(
      '-n',
      'typed',
      'run',
      'p',
      '--image=nginx:1.25',
      '--labels=a=b',
      '--env=X=1',
      '--restart=Never',
    );
    expect(
      await ok(
        '-n',
        'typed',
        'get',
        'pod',
        'p',
        '-o',
        'jsonpath={.metadata.labels.a} {.spec.containers[0].env[0].value} {.spec.restartPolicy}',
      ),
    ).toBe('b 1 Never');
    await ok('-n', 'typed', 'create', 'serviceaccount', 'robot');
    const token = (await ok('-n', 'typed', 'create', 'token', 'robot', '--duration=10m')).trim();
    expect(token.split('.')).toHaveLength(3);
    const asRobot = await h.kubectl(['--token', token, '-n', 'typed', 'get', 'pods']);
    expect(asRobot.stderr).toContain(
      'User "system:serviceaccount:typed:robot" cannot list resource "pods"',
    );
    await ok('-n', 'typed', 'create', 'role', 'reader', '--verb=get,list', '--resource=pods');
    await ok(
      '-n',
      'typed',
      'create',
      'rolebinding',
      'robot-reads',
      '--role=reader',
      '--serviceaccount=typed:robot',
    );
    expect(
      (
        await ok(
          'auth',
          'can-i',
          'list',
          'pods',
          '-n',
          'typed',
          '--as=system:serviceaccount:typed:robot',
        )
      ).trim(),
    ).toBe('yes');
    expect(
      (
        await h.kubectl([
          'auth',
          'can-i',
          'delete',
          'pods',
          '-n',
          'typed',
          '--as=system:serviceaccount:typed:robot',
        ])
      ).stdout.trim(),
    ).toBe('no');
  });

  it('patches with strategic, merge and json patches', async () => {
    await deployment('patchme', 'nginx:1.25', 0);
    const smp = await ok(
      'patch',
      'deployment',
      'patchme',
      '--type=strategic',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"MODE","value":"x"}]}]}}}}',
    );
    expect(smp).toContain('deployment.apps/patchme patched');
    expect(
      await ok(
        'get',
        'deployment',
        'patchme',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[0].value}',
      ),
    ).toBe('nginx:1.25 x');
    await ok(
      'patch',
      'configmap',
      'web-config',
      '--type=merge',
      '-p',
      '{"data":{"greeting":null,"other":"y"}}',
    );
    expect(await ok('get', 'configmap', 'web-config', '-o', 'jsonpath={.data}')).toBe(
      '{"other":"y"}',
    );
    await ok(
      'patch',
      'deployment',
      'patchme',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/replicas","value":0},{"op":"add","path":"/metadata/labels/patched","value":"json"}]',
    );
    expect(
      await ok('get', 'deployment', 'patchme', '-o', 'jsonpath={.metadata.labels.patched}'),
    ).toBe('json');
    const bad = await h.kubectl([
      'patch',
      'deployment',
      'patchme',
      '--type=json',
      '-p',
      '[{"op":"test","path":"/spec/replicas","value":7}]',
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/deployments "patchme" is invalid|testing value failed/);
  });

  it('reports server-side apply conflicts naming the manager; --force-conflicts wins', async () => {
    const manifest = (replicas: number, extra = ''): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  replicas: "${replicas}"\n${extra}`;
    const first = await h.kubectl(
      ['apply', '--server-side', '--field-manager=alice', '-f', '-'],
      manifest(1, '  owner: alice\n'),
    );
    expect(first.stdout).toContain('configmap/ssa serverside-applied');
    const conflict = await h.kubectl(
      ['apply', '--server-side', '--field-manager=bob', '-f', '-'],
      manifest(2),
    );
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "alice" using v1: .data.replicas',
    );
    const forced = await h.kubectl(
      ['apply', '--server-side', '--field-manager=bob', '--force-conflicts', '-f', '-'],
      manifest(2),
    );
    expect(forced.code).toBe(0);
    expect(await ok('get', 'configmap', 'ssa', '-o', 'jsonpath={.data.replicas}')).toBe('2');
    const managers = await ok(
      'get',
      'configmap',
      'ssa',
      '--show-managed-fields',
      '-o',
      'jsonpath={.metadata.managedFields[*].manager}',
    );
    expect(managers.split(' ').sort()).toEqual(['alice', 'bob']);
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
    const none = await h.kubectl(['get', 'pods', '--field-selector=spec.nodeName=no-such-node']);
    expect(none.stderr).toContain('No resources found in default namespace.');
  });

  simIt('deletes with cascade: foreground removes dependents, orphan keeps them', async () => {
    await deployment('gone', 'nginx:1.25', 2);
    await ok('rollout', 'status', 'deployment/gone', '--timeout=60s');
    expect(await ok('delete', 'deployment', 'gone', '--cascade=foreground')).toContain(
      'deployment.apps "gone" deleted',
    );
    const left = await h.kubectl(['get', 'replicasets,pods', '-l', 'app=gone']);
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
