/**
 * The real kubectl v1.36.3 against both substrates (kube-sim and the real control plane), on the
 * API itself rather than on workloads:
 * api-resources and explain, CRDs and their custom resources, the protobuf bodies of typed
 * `kubectl create`/`run`/`auth can-i`, the three patch types and server-side apply conflicts
 * (with appliers, with `kubectl scale`, with updates named by their User-Agent).
 * Each step asserts on what kubectl printed.
 *
 * @see ./kube-sim-kubectl-workloads.int.test.ts — apply, rollouts, logs, scale, delete
 */
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { useKubectlSuite } from './kube-sim-kubectl-helpers.ts';
import { SUBSTRATES } from './kube-sim-substrates.ts';

/** `web-config` as fixtures/kube-sim-app.yaml declares it: the merge patch below edits it. */
const WEB_CONFIG =
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {greeting: hello}\n';

describe.each(SUBSTRATES)('%s with the real kubectl', (name, start) => {
  const k = useKubectlSuite(name, start);
  const { ok, deployment } = k;

  beforeAll(async () => {
    const r = await k.kubectl(['apply', '-f', '-'], WEB_CONFIG);
    if (r.code !== 0) throw new Error(`apply web-config failed: ${r.stderr}`);
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
    expect(out).toMatch(/^replicationcontrollers\s+rc\s+v1\s+true\s+ReplicationController$/m);
    expect(out).toMatch(/^apiservices\s+apiregistration\.k8s\.io\/v1\s+false\s+APIService$/m);
  });

  it('explains pod.spec from the OpenAPI v3 subset', async () => {
    const out = await ok('explain', 'pod.spec');
    expect(out).toMatch(/KIND:\s+Pod/);
    expect(out).toMatch(/containers\s+<\[\]Container> -required-/);
    expect(out).toMatch(/restartPolicy\s+<string>/);
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
    const applied = await k.kubectl(['apply', '-f', '-'], crd);
    expect(applied.stdout).toContain(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created',
    );
    expect(
      await ok('wait', '--for=condition=established', 'crd/widgets.example.com', '--timeout=30s'),
    ).toContain('condition met');
    // Established says the handler serves the kind; discovery publishes it a moment later
    // (apiextensions-apiserver's DiscoveryController), and until then kubectl finds no match.
    const widget =
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n';
    let cr = await k.kubectl(['apply', '-f', '-'], widget);
    for (let i = 0; i < 100 && cr.code !== 0 && /no matches for kind/.test(cr.stderr); i++) {
      await new Promise((r) => setTimeout(r, 200));
      cr = await k.kubectl(['apply', '-f', '-'], widget);
    }
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
    // A kubeconfig holding only the token: next to the admin's client certificate the
    // certificate would win (kube-apiserver tries client certificates before tokens).
    const robot = await k.env.kubeconfigFor('robot.kubeconfig', { token });
    const asRobot = await k.kubectl(['--kubeconfig', robot, '-n', 'typed', 'get', 'pods']);
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
        await k.kubectl([
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
    const bad = await k.kubectl([
      'patch',
      'deployment',
      'patchme',
      '--type=json',
      '-p',
      '[{"op":"test","path":"/spec/replicas","value":7}]',
    ]);
    expect(bad.code).not.toBe(0);
    // Upstream answers a failed JSON patch operation with a bare 422 (no cause, no details).
    expect(bad.stderr).toBe(
      'The request is invalid: the server rejected our request due to an error in our request\n',
    );
  });

  it('reports server-side apply conflicts naming the manager; --force-conflicts wins', async () => {
    const manifest = (replicas: number, extra = ''): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  replicas: "${replicas}"\n${extra}`;
    const first = await k.kubectl(
      ['apply', '--server-side', '--field-manager=alice', '-f', '-'],
      manifest(1, '  owner: alice\n'),
    );
    expect(first.stdout).toContain('configmap/ssa serverside-applied');
    const conflict = await k.kubectl(
      ['apply', '--server-side', '--field-manager=bob', '-f', '-'],
      manifest(2),
    );
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain(
      'error: Apply failed with 1 conflict: conflict with "alice": .data.replicas\n',
    );
    const forced = await k.kubectl(
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

  const managedFields = async (
    kind: string,
    name: string,
  ): Promise<Array<Record<string, unknown>>> =>
    JSON.parse(
      await ok(
        'get',
        kind,
        name,
        '--show-managed-fields',
        '-o',
        'jsonpath={.metadata.managedFields}',
      ),
    ) as Array<Record<string, unknown>>;

  it('makes kubectl scale the manager of spec.replicas: a later apply of replicas conflicts', async () => {
    const manifest = (replicas: number): string =>
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: scaled, labels: {app: scaled}}',
        'spec:',
        `  replicas: ${replicas}`,
        '  selector: {matchLabels: {app: scaled}}',
        '  template:',
        '    metadata: {labels: {app: scaled}}',
        '    spec: {containers: [{name: web, image: "nginx:1.27"}]}',
      ].join('\n');
    const apply = (replicas: number, ...flags: string[]): ReturnType<typeof k.kubectl> =>
      k.kubectl(
        ['apply', '--server-side', '--field-manager=nodeless', ...flags, '-f', '-'],
        manifest(replicas),
      );
    expect((await apply(2)).code).toBe(0);
    expect(await ok('scale', 'deployment', 'scaled', '--replicas=3')).toBe(
      'deployment.apps/scaled scaled\n',
    );
    // kubectl sends no fieldManager: the manager is its User-Agent's prefix, and the scale
    // handler writes the entry without a time.
    const entries = await managedFields('deploy', 'scaled');
    expect(entries.find((e) => e['subresource'] === 'scale')).toEqual({
      manager: 'kubectl',
      operation: 'Update',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      subresource: 'scale',
    });
    const conflict = await apply(2);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain(
      'error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas\n',
    );
    // The API's own answer: 409 with the field and manager as its cause.
    const raw = await k.env.raw(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/scaled?fieldManager=nodeless',
      JSON.stringify(YAML.parse(manifest(2))),
      { 'Content-Type': 'application/apply-patch+yaml' },
    );
    expect(raw.status).toBe(409);
    expect(JSON.parse(raw.body)).toMatchObject({
      reason: 'Conflict',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "kubectl" with subresource "scale" using apps/v1',
            field: '.spec.replicas',
          },
        ],
      },
    });
    // The same value is shared ownership, not a conflict; --force-conflicts takes it over.
    expect((await apply(3)).code).toBe(0);
    expect((await apply(2, '--force-conflicts')).code).toBe(0);
    expect(await ok('get', 'deploy', 'scaled', '-o', 'jsonpath={.spec.replicas}')).toBe('2');
    const after = (await managedFields('deploy', 'scaled')).filter(
      (e) => e['subresource'] !== 'status',
    );
    expect(after.map((e) => e['manager'])).toEqual(['nodeless']);
  });

  it('names an update without fieldManager by its User-Agent and version (no time)', async () => {
    expect(
      (
        await k.kubectl(
          ['apply', '--server-side', '--field-manager=nodeless', '-f', '-'],
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ua}\ndata: {size: small}\n',
        )
      ).code,
    ).toBe(0);
    const patched = await k.env.raw(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/ua',
      JSON.stringify({ data: { size: 'large' } }),
      { 'Content-Type': 'application/merge-patch+json', 'User-Agent': 'console-tool/2.1 (x)' },
    );
    expect(patched.status).toBe(200);
    const conflict = await k.kubectl(
      ['apply', '--server-side', '--field-manager=nodeless', '-f', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ua}\ndata: {size: small}\n',
    );
    expect(conflict.stderr).toMatch(
      /^error: Apply failed with 1 conflict: conflict with "console-tool" using v1: \.data\.size$/m,
    );
  });
});
