/**
 * `workloads.yaml.*` on the real control plane (kube-apiserver v1.36), the cluster imported as
 * the app imports a kubeconfig: the server-side dry run's diff shows a changed image and
 * changes nothing; a three-object manifest with one unknown field is refused at that field's
 * document and line and applies none of the three; SSA conflicts name the field and its
 * manager and "apply anyway" forces; a CRD and its custom resource apply in one manifest (the
 * resource once the kind is served); an edit applied after the object changed on the server is
 * a conflict showing what changed, and overwriting applies it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlPlane } from '../../testkit/src/control-plane/index.ts';
import type { RunningBackend } from '../src/backend.ts';
import { startLabBackend, type LabBackend } from './lab-backend.ts';
import { client } from './support.ts';

let lab: LabBackend;
let cp: ControlPlane;
let backend: RunningBackend;
let clusterId: string;

beforeAll(async () => {
  lab = await startLabBackend('workloads-yaml');
  ({ cp, backend, clusterId } = lab);
}, 600_000);
afterAll(async () => {
  await lab?.stop();
});

const yaml = () => client(backend).workloads.yaml;

const deployment = (name: string, image: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: default
spec:
  replicas: 1${extra}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: web
          image: ${image}
`;

async function exists(kind: string, name: string, ns = 'default'): Promise<boolean> {
  const r = await cp.kubectl(['get', kind, name, '-n', ns, '-o', 'name']);
  return r.code === 0;
}

async function imageOf(name: string): Promise<string> {
  const r = await cp.kubectl([
    'get',
    'deploy',
    name,
    '-o',
    'jsonpath={.spec.template.spec.containers[0].image}',
  ]);
  return r.stdout;
}

describe('workloads.yaml on the real control plane', () => {
  it("dry run diffs a changed image of an existing Deployment and doesn't change it", async () => {
    const applied = await yaml().applyManifest.mutate({
      clusterId,
      text: deployment('web', 'nginx:1'),
    });
    expect(applied.applied).toBe(true);
    expect(applied.objects.map((o) => o.action)).toEqual(['created']);

    const dry = await yaml().dryRun.mutate({ clusterId, text: deployment('web', 'nginx:2') });
    expect(dry.problems).toEqual([]);
    expect(dry.objects).toHaveLength(1);
    const [web] = dry.objects;
    expect(web?.action).toBe('changed');
    expect(web?.ref).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'default',
      name: 'web',
    });
    const changed = (web?.diff ?? '').split('\n').filter((l) => /^[-+] /.test(l));
    expect(changed).toEqual(['-          image: nginx:1', '+          image: nginx:2']);
    expect(await imageOf('web')).toBe('nginx:1');

    const same = await yaml().dryRun.mutate({ clusterId, text: deployment('web', 'nginx:1') });
    expect(same.objects.map((o) => [o.action, o.diff])).toEqual([['unchanged', '']]);
  });

  it('refuses a three-object manifest with one unknown field at its line and applies none', async () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: three-conf\n  namespace: default\ndata:\n  a: "1"\n',
      deployment('three-web', 'nginx:1', '\n  replicaz: 2'),
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: three-svc\n  namespace: default\nspec:\n  selector: {app: three-web}\n  ports:\n    - port: 80\n',
    ].join('---\n');
    const lines = text.split('\n');
    const badLine = lines.findIndex((l) => l.includes('replicaz')) + 1;
    const answer = await yaml().applyManifest.mutate({ clusterId, text });
    expect(answer.applied).toBe(false);
    expect(answer.problems).toEqual([
      {
        document: 1,
        line: badLine,
        field: 'spec.replicaz',
        message: 'field not declared in schema',
      },
    ]);
    for (const [kind, name] of [
      ['configmap', 'three-conf'],
      ['deployment', 'three-web'],
      ['service', 'three-svc'],
    ] as const)
      expect(await exists(kind, name), `${kind} ${name}`).toBe(false);

    // A value the schema allows but validation refuses: 422 with the field.
    const invalid = await yaml().dryRun.mutate({
      clusterId,
      text: deployment('three-web', 'nginx:1').replace('replicas: 1', 'replicas: -1'),
    });
    expect(invalid.problems).toEqual([
      expect.objectContaining({ document: 0, line: 7, field: 'spec.replicas' }),
    ]);

    const fixed = await yaml().applyManifest.mutate({
      clusterId,
      text: text.replace('\n  replicaz: 2', ''),
    });
    expect(fixed.problems).toEqual([]);
    expect(fixed.applied).toBe(true);
    expect(fixed.objects.map((o) => [o.ref.kind, o.action])).toEqual([
      ['ConfigMap', 'created'],
      ['Service', 'created'],
      ['Deployment', 'created'],
    ]);
    expect(await exists('deployment', 'three-web')).toBe(true);
  });

  it('checks objects in a namespace the manifest creates when applying, Namespace first', async () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: fresh\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: fresh\n';
    const dry = await yaml().dryRun.mutate({ clusterId, text });
    expect(dry.problems).toEqual([]);
    expect(dry.objects.find((o) => o.ref.kind === 'ConfigMap')?.note).toMatch(/fresh is created/);
    const applied = await yaml().applyManifest.mutate({ clusterId, text });
    expect(applied.objects.map((o) => o.ref.kind)).toEqual(['Namespace', 'ConfigMap']);
    expect(await exists('configmap', 'c', 'fresh')).toBe(true);
  });

  it('applies a CRD and its custom resources in one manifest, once the kind is served', async () => {
    const text = [
      'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g1\nspec:\n  size: 2\n',
      [
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        'metadata: {name: gadgets.example.com}',
        'spec:',
        '  group: example.com',
        '  scope: Namespaced',
        '  names: {plural: gadgets, singular: gadget, kind: Gadget}',
        '  versions:',
        '    - name: v1',
        '      served: true',
        '      storage: true',
        '      schema:',
        '        openAPIV3Schema:',
        '          type: object',
        '          properties:',
        '            spec: {type: object, properties: {size: {type: integer}}}',
        '',
      ].join('\n'),
    ].join('---\n');
    const dry = await yaml().dryRun.mutate({ clusterId, text });
    expect(dry.problems).toEqual([]);
    expect(dry.objects.find((o) => o.ref.kind === 'Gadget')?.note).toMatch(/in this manifest/);
    const applied = await yaml().applyManifest.mutate({ clusterId, text });
    expect(applied.problems).toEqual([]);
    expect(applied.applied).toBe(true);
    expect(applied.objects.map((o) => [o.ref.kind, o.ref.namespace, o.action])).toEqual([
      ['CustomResourceDefinition', undefined, 'created'],
      ['Gadget', 'default', 'created'],
    ]);
    const size = await cp.kubectl([
      'get',
      'gadget',
      'g1',
      '-n',
      'default',
      '-o',
      'jsonpath={.spec.size}',
    ]);
    expect(size.stdout).toBe('2');
  });

  it('reports an SSA conflict with the field and its manager; apply anyway forces', async () => {
    const other = await cp.kubectl(['apply', '--server-side', '--field-manager=helm', '-f', '-'], {
      input: deployment('owned', 'nginx:1'),
    });
    expect(other.code, other.stderr).toBe(0);
    const text = deployment('owned', 'nginx:2');
    const answer = await yaml().applyManifest.mutate({ clusterId, text });
    expect(answer.applied).toBe(false);
    expect(answer.conflicts).toEqual([
      expect.objectContaining({
        field: 'spec.template.spec.containers[name="web"].image',
        manager: 'helm',
        line: text.split('\n').findIndex((l) => l.includes('image:')) + 1,
      }),
    ]);
    expect(await imageOf('owned')).toBe('nginx:1');
    const forced = await yaml().applyManifest.mutate({ clusterId, text, force: true });
    expect(forced.applied).toBe(true);
    expect(await imageOf('owned')).toBe('nginx:2');
  });

  it('warns when the edited object changed on the server meanwhile; overwrite applies', async () => {
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' };
    const opened = await yaml().get.query({ clusterId, ref });
    expect(opened.text).not.toMatch(/managedFields|resourceVersion|status:|uid:/);
    expect(opened.text).toContain('image: nginx:1');
    expect(opened.resourceVersion).not.toBe('');

    const scaled = await cp.kubectl(['scale', 'deploy', 'web', '--replicas=3']);
    expect(scaled.code, scaled.stderr).toBe(0);

    const edited = opened.text.replace('image: nginx:1', 'image: nginx:3');
    const edit = { ref, resourceVersion: opened.resourceVersion, original: opened.text };
    const answer = await yaml().applyManifest.mutate({ clusterId, text: edited, edit });
    expect(answer.applied).toBe(false);
    expect(answer.editConflict?.diff).toContain('-  replicas: 1');
    expect(answer.editConflict?.diff).toContain('+  replicas: 3');
    expect(answer.editConflict?.text).toContain('replicas: 3');
    expect(await imageOf('web')).toBe('nginx:1');

    // Overwriting takes back spec.replicas from kubectl's scale: a field conflict first.
    const overwrite = { clusterId, text: edited, edit, overwrite: true };
    const conflicting = await yaml().applyManifest.mutate(overwrite);
    expect(conflicting.applied).toBe(false);
    expect(conflicting.editConflict).toBeUndefined();
    expect(conflicting.conflicts.map((c) => c.field)).toEqual(['spec.replicas']);
    expect(conflicting.conflicts[0]?.manager).toMatch(/^kubectl/);
    const overwritten = await yaml().applyManifest.mutate({ ...overwrite, force: true });
    expect(overwritten.applied).toBe(true);
    expect(await imageOf('web')).toBe('nginx:3');
  });
});
