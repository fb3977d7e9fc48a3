/**
 * `workloads.deploy.*` on the real control plane (kube-apiserver v1.36, KWOK nodes), the cluster
 * imported as the app imports a kubeconfig: the form's objects — common's `deployObjects`, the
 * preview's own function — are exactly what the cluster then holds (every field the form sets,
 * read back with the real kubectl, owned by field manager `nodeless`); pods come up; a field
 * `kubectl scale` took is a conflict naming field and manager, and nothing is changed until the
 * user forces; a ResourceQuota the replicas × size exceed is refused on the replicas field, one
 * pod too big for it on the size field (the API server's own quota admission), with nothing
 * created; a dry run stores nothing; bad fields are a 400 keyed by form field. Redeployed with
 * Expose = No, the Service the first deploy made is listed before (plan, dry run) and deleted
 * after the rest applied; a Service of the same name only kubectl manages stays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployObjects, emptyDeployForm, GIB, type DeployForm } from '@nodeless/common';
import type { ControlPlane } from '../../testkit/src/control-plane/index.ts';
import type { RunningBackend } from '../src/backend.ts';
import { startLabBackend, type LabBackend } from './lab-backend.ts';
import { client, mutate } from './support.ts';

let lab: LabBackend;
let cp: ControlPlane;
let backend: RunningBackend;
let clusterId: string;

beforeAll(async () => {
  lab = await startLabBackend('workloads-deploy');
  ({ cp, backend, clusterId } = lab);
}, 600_000);
afterAll(async () => {
  await lab?.stop();
});

async function kubectlJson<T>(args: string[]): Promise<T> {
  const r = await cp.kubectl([...args, '-o', 'json']);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The 400's field errors of a refused deploy. */
async function fieldErrors(input: unknown): Promise<Record<string, string>> {
  const res = await mutate(backend, 'workloads.deploy.submit', input);
  expect(res.status, res.body).toBe(400);
  return (JSON.parse(res.body) as { error: { data: { fieldErrors: Record<string, string> } } })
    .error.data.fieldErrors;
}

const web: DeployForm = {
  ...emptyDeployForm('shop'),
  name: 'web',
  createNamespace: true,
  image: 'nginx:1.27',
  size: { cpuMilli: 500, memoryBytes: GIB },
  replicas: '2',
  command: ['nginx'],
  args: ['-g', 'daemon off;'],
  env: [
    { name: 'MODE', from: 'value', value: 'prod', sourceName: '', sourceKey: '' },
    { name: 'TOKEN', from: 'secret', value: '', sourceName: 'creds', sourceKey: 'token' },
    { name: 'LEVEL', from: 'configMap', value: '', sourceName: 'cfg', sourceKey: 'level' },
  ],
  ports: [
    { name: 'http', containerPort: '8080', protocol: 'TCP' },
    { name: 'metrics', containerPort: '9090', protocol: 'TCP' },
  ],
  expose: 'ClusterIP',
  probe: {
    kind: 'http',
    path: '/ready',
    port: 'http',
    periodSeconds: '5',
    initialDelaySeconds: '1',
  },
};

interface Live {
  kind: string;
  metadata: { managedFields?: { manager: string; operation: string }[] };
  spec?: { replicas?: number };
}

describe('deploy from a form', () => {
  it('applies exactly the previewed objects, owned by nodeless, and the pods come up', async () => {
    const answer = await client(backend).workloads.deploy.submit.mutate({ clusterId, form: web });
    expect(answer).toEqual({
      outcome: 'applied',
      objects: [
        { kind: 'Namespace', name: 'shop' },
        { kind: 'Deployment', name: 'web', namespace: 'shop' },
        { kind: 'Service', name: 'web', namespace: 'shop' },
      ],
      workload: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      unchecked: [],
      deletions: [],
    });
    for (const previewed of deployObjects(web)) {
      const where = previewed.metadata.namespace ? ['-n', previewed.metadata.namespace] : [];
      const live = await kubectlJson<Live>([
        'get',
        previewed.kind,
        previewed.metadata.name,
        ...where,
        '--show-managed-fields',
      ]);
      // Every field the form set, with the value it set (the server adds defaults around them).
      expect(live).toMatchObject(previewed);
      // A Namespace of only a name gives its applier no field to own (the API server writes
      // its one label itself), so only the others have a `nodeless` entry.
      if (previewed.kind === 'Namespace') continue;
      const nodeless = live.metadata.managedFields?.filter((m) => m.manager === 'nodeless');
      expect(nodeless?.map((m) => m.operation)).toEqual(['Apply']);
    }
    const namespaces = await client(backend).workloads.deploy.namespaces.query({ clusterId });
    expect(namespaces.namespaces).toContain('shop');
    expect(namespaces.namespaces.some((n) => n.startsWith('kube-'))).toBe(false);
    await until('two running pods', async () => {
      const pods = await kubectlJson<{ items: { status: { phase: string } }[] }>([
        'get',
        'pods',
        '-n',
        'shop',
        '-l',
        'app.kubernetes.io/name=web',
      ]);
      const running = pods.items.filter((p) => p.status.phase === 'Running').length;
      return running === 2 ? true : undefined;
    });
  });

  it('reports a field kubectl took as a conflict, changes nothing, and applies when forced', async () => {
    const scaled = await cp.kubectl(['scale', 'deployment', 'web', '-n', 'shop', '--replicas=3']);
    expect(scaled.code, scaled.stderr).toBe(0);
    const changed = { ...web, createNamespace: false, image: 'nginx:1.28' };
    const api = client(backend).workloads.deploy.submit;
    const answer = await api.mutate({ clusterId, form: changed });
    expect(answer.outcome).toBe('conflict');
    if (answer.outcome !== 'conflict') return;
    expect(answer.conflicts).toEqual([
      {
        kind: 'Deployment',
        name: 'web',
        path: '.spec.replicas',
        field: 'replicas',
        manager: 'kubectl',
        subresource: 'scale',
      },
    ]);
    // Nothing half-done: the image did not change either.
    const before = await kubectlJson<{
      spec: { template: { spec: { containers: { image: string }[] } } };
    }>(['get', 'deployment', 'web', '-n', 'shop']);
    expect(before.spec.template.spec.containers[0]?.image).toBe('nginx:1.27');

    const forced = await api.mutate({ clusterId, form: changed, force: true });
    expect(forced.outcome).toBe('applied');
    const after = await kubectlJson<
      Live & { spec: { template: { spec: { containers: { image: string }[] } } } }
    >(['get', 'deployment', 'web', '-n', 'shop']);
    expect(after.spec.replicas).toBe(2);
    expect(after.spec.template.spec.containers[0]?.image).toBe('nginx:1.28');
  });

  it('deletes the Service of an earlier deploy once Expose is No, and says so before and after', async () => {
    const none = { ...web, createNamespace: false, image: 'nginx:1.28', expose: 'none' as const };
    const api = client(backend).workloads.deploy;
    const service = { kind: 'Service', name: 'web', namespace: 'shop' };
    // Before: the preview's list, and a dry run naming it, with nothing deleted.
    expect(await api.plan.query({ clusterId, form: none })).toEqual({ deletions: [service] });
    expect(await api.plan.query({ clusterId, form: web })).toEqual({ deletions: [] });
    const checked = await api.submit.mutate({ clusterId, form: none, dryRun: true });
    expect(checked).toMatchObject({ outcome: 'checked', deletions: [service] });
    // Still there after the dry run.
    expect((await cp.kubectl(['get', 'service', 'web', '-n', 'shop'])).code).toBe(0);

    const answer = await api.submit.mutate({ clusterId, form: none });
    expect(answer).toMatchObject({ outcome: 'applied', deletions: [service] });
    expect(answer.outcome === 'applied' && answer.objects.map((o) => o.kind)).toEqual([
      'Deployment',
    ]);
    const gone = await cp.kubectl(['get', 'service', 'web', '-n', 'shop']);
    expect(gone.stderr).toMatch(/NotFound/);
    const deployment = await kubectlJson<{ spec: { replicas: number } }>([
      'get',
      'deployment',
      'web',
      '-n',
      'shop',
    ]);
    expect(deployment.spec.replicas).toBe(2);
    // Nothing left to delete the next time.
    expect(await api.plan.query({ clusterId, form: none })).toEqual({ deletions: [] });
  });

  it('keeps a Service of the same name that only kubectl manages', async () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'keep', namespace: 'shop' },
      spec: { selector: { 'app.kubernetes.io/name': 'keep' }, ports: [{ port: 80 }] },
    };
    const created = await cp.kubectl(['apply', '-f', '-'], { input: JSON.stringify(svc) });
    expect(created.code, created.stderr).toBe(0);
    const keep = {
      ...web,
      name: 'keep',
      createNamespace: false,
      replicas: '0',
      expose: 'none' as const,
    };
    const api = client(backend).workloads.deploy;
    expect(await api.plan.query({ clusterId, form: keep })).toEqual({ deletions: [] });
    const answer = await api.submit.mutate({ clusterId, form: keep });
    expect(answer).toMatchObject({ outcome: 'applied', deletions: [] });
    const still = await cp.kubectl(['get', 'service', 'keep', '-n', 'shop']);
    expect(still.code, still.stderr).toBe(0);
  });

  it('places a ResourceQuota refusal on replicas or size, and creates nothing', async () => {
    const quota = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'small', namespace: 'shop' },
      spec: { hard: { 'limits.cpu': '2', 'limits.memory': '8Gi' } },
    };
    const created = await cp.kubectl(['apply', '-f', '-'], { input: JSON.stringify(quota) });
    expect(created.code, created.stderr).toBe(0);
    // web's two pods (0.5 vCPU each) are counted before the quota judges anything.
    await until('the quota to count web', async () => {
      const q = await kubectlJson<{ status?: { used?: Record<string, string> } }>([
        'get',
        'resourcequota',
        'small',
        '-n',
        'shop',
      ]);
      return q.status?.used?.['limits.cpu'] === '1' ? true : undefined;
    });
    const api = { ...web, name: 'api', createNamespace: false, expose: 'none' as const };
    const three = await fieldErrors({ clusterId, form: { ...api, replicas: '3' } });
    expect(Object.keys(three)).toEqual(['form.replicas']);
    expect(three['form.replicas']).toMatch(/quota "small": limits\.cpu is limited to 2 vCPU/);
    expect(three['form.replicas']).toMatch(/at most 2 fit/);

    // One pod bigger than what is left: the API server's quota admission refuses the pod itself.
    const big = { ...api, replicas: '1', size: { cpuMilli: 2000, memoryBytes: 4 * GIB } };
    const one = await fieldErrors({ clusterId, form: big });
    expect(Object.keys(one)).toEqual(['form.size']);
    expect(one['form.size']).toMatch(/exceeded quota: small/);

    const missing = await cp.kubectl(['get', 'deployment', 'api', '-n', 'shop']);
    expect(missing.stderr).toMatch(/NotFound/);
    // What fits is applied.
    const two = await client(backend).workloads.deploy.submit.mutate({
      clusterId,
      form: { ...api, replicas: '2' },
    });
    expect(two.outcome).toBe('applied');
  });

  it('stores nothing on a dry run', async () => {
    const form = { ...web, name: 'dry', namespace: 'shop', createNamespace: false, replicas: '0' };
    const answer = await client(backend).workloads.deploy.submit.mutate({
      clusterId,
      form,
      dryRun: true,
    });
    expect(answer.outcome).toBe('checked');
    const r = await cp.kubectl(['get', 'deployment,service', 'dry', '-n', 'shop']);
    expect(r.stderr).toMatch(/NotFound/);
  });

  it('answers bad fields with a 400 keyed by form field', async () => {
    const errors = await fieldErrors({
      clusterId,
      form: {
        ...web,
        name: 'Web',
        namespace: 'kube-system',
        createNamespace: false,
        ports: [{ name: 'http', containerPort: '0', protocol: 'TCP' }],
      },
    });
    expect(errors).toEqual({
      'form.name': expect.stringMatching(/lower-case/) as unknown as string,
      'form.namespace': expect.stringMatching(/reserved for the system/) as unknown as string,
      'form.ports.0.containerPort': 'must be between 1 and 65535',
    });
    const shape = await fieldErrors({ clusterId, form: { ...web, expose: 'NodePort' } });
    expect(Object.keys(shape)).toEqual(['form.expose']);
  });
});
