/**
 * kube-sim against the real kube-apiserver v1.36.3, object for object: the same manifest
 * applied to both comes back with the same defaults, admission mutations and generated fields
 * (a Pod's service-account volume, tolerations and priority; a Job's selector; a Secret's
 * `stringData` folded into `data`…); admission refusals read the same; a pod delete is
 * graceful on both. Status, which controllers write on their own schedule, is left out.
 *
 * @see ./kube-sim-parity.int.test.ts — requests, Status bodies, watches
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { waitFor } from './kube-sim-helpers.ts';
import { blank, field, JSON_HEADERS, parse, type Json } from './kube-sim-parity-helpers.ts';
import { startCpEnv, startSimEnv, useSubstrate, type SubstrateEnv } from './kube-sim-substrates.ts';

const MANIFEST = new URL('./fixtures/kube-sim-parity-objects.yaml', import.meta.url);

/** Namespaced objects of the manifest (resource path segment, name). */
const NAMESPACED: ReadonlyArray<readonly [string, string]> = [
  ['api/v1/namespaces/cmp/pods', 'p1'],
  ['api/v1/namespaces/cmp/pods', 'sandboxed'],
  ['api/v1/namespaces/cmp/services', 'svc'],
  ['api/v1/namespaces/cmp/secrets', 'sec'],
  ['api/v1/namespaces/cmp/configmaps', 'cfg'],
  ['api/v1/namespaces/cmp/serviceaccounts', 'sa1'],
  ['api/v1/namespaces/cmp/limitranges', 'lr1'],
  ['api/v1/namespaces/cmp/resourcequotas', 'q1'],
  ['api/v1/namespaces/cmp/persistentvolumeclaims', 'pvc1'],
  ['api/v1/namespaces/cmp/replicationcontrollers', 'rc1'],
  ['apis/apps/v1/namespaces/cmp/deployments', 'd1'],
  ['apis/apps/v1/namespaces/cmp/statefulsets', 's1'],
  ['apis/apps/v1/namespaces/cmp/daemonsets', 'ds1'],
  ['apis/batch/v1/namespaces/cmp/jobs', 'j1'],
  ['apis/batch/v1/namespaces/cmp/cronjobs', 'cj1'],
  ['apis/autoscaling/v2/namespaces/cmp/horizontalpodautoscalers', 'h1'],
  ['apis/policy/v1/namespaces/cmp/poddisruptionbudgets', 'pdb1'],
  ['apis/rbac.authorization.k8s.io/v1/namespaces/cmp/roles', 'r1'],
  ['apis/coordination.k8s.io/v1/namespaces/cmp/leases', 'l1'],
  ['apis/node.k8s.io/v1/runtimeclasses', 'rc-cmp'],
  ['apis/node.k8s.io/v1/runtimeclasses', 'kata-cmp'],
  ['apis/scheduling.k8s.io/v1/priorityclasses', 'pc-cmp'],
  ['api/v1/namespaces', 'cmp'],
];

/**
 * The object without status, blanked, with what is drawn at random made comparable: the
 * object's own uid where labels and selectors repeat it, the service-account volume's suffix,
 * the node a pod landed on.
 */
function comparable(o: Json): Json {
  const uid = String(field(o, 'metadata.uid'));
  const { status: _status, ...rest } = o as Record<string, Json>;
  const text = JSON.stringify(blank(rest))
    .replaceAll(uid, '<own uid>')
    .replace(/kube-api-access-[a-z0-9]{5}/g, 'kube-api-access-<5>')
    .replace(/"nodeName":"[^"]*"/g, '"nodeName":"<node>"');
  return JSON.parse(text) as Json;
}

describe('kube-sim stores objects as the real kube-apiserver does', () => {
  const sim = useSubstrate(startSimEnv, { nodes: 1 });
  const cp = useSubstrate(startCpEnv, { nodes: 1 });
  const both = async <T>(f: (env: SubstrateEnv) => Promise<T>): Promise<[T, T]> => [
    await f(sim.current),
    await f(cp.current),
  ];
  const ok = async (env: SubstrateEnv, args: string[], input?: string): Promise<string> => {
    const r = await env.kubectl(args, input);
    if (r.code !== 0) throw new Error(`${env.name}: kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  it('defaults, admits and generates the same fields', async () => {
    const manifest = await readFile(MANIFEST, 'utf8');
    const objects = await both(async (env) => {
      await ok(env, ['create', 'namespace', 'cmp']);
      // A new namespace's default ServiceAccount comes from a controller; pods need it.
      await waitFor(`${env.name}: default ServiceAccount`, async () =>
        (await env.raw('GET', '/api/v1/namespaces/cmp/serviceaccounts/default')).status === 200
          ? true
          : undefined,
      );
      await ok(env, ['apply', '-f', '-'], manifest);
      const out: Record<string, Json> = {};
      for (const [path, name] of NAMESPACED)
        out[`${path}/${name}`] = comparable(parse(await env.raw('GET', `/${path}/${name}`)));
      return out;
    });
    for (const [path, name] of NAMESPACED) {
      const key = `${path}/${name}`;
      expect({ key, object: objects[0][key] }).toEqual({ key, object: objects[1][key] });
    }
    const pod = objects[1]['api/v1/namespaces/cmp/pods/p1'] ?? null;
    expect(field(pod, 'spec.serviceAccountName')).toBe('default');
    expect(field(pod, 'spec.priority')).toBe(0);
    const sandboxed = objects[1]['api/v1/namespaces/cmp/pods/sandboxed'] ?? null;
    expect(field(sandboxed, 'spec.overhead')).toEqual({ cpu: '250m', memory: '130Mi' });
    expect(field(sandboxed, 'spec.nodeSelector')).toEqual({
      'nodeless.dev/sandbox': 'parity-none',
    });
    expect(field(objects[1]['api/v1/namespaces/cmp/secrets/sec'] ?? null, 'data')).toEqual({
      a: Buffer.from('b').toString('base64'),
    });
    expect(
      field(objects[1]['apis/batch/v1/namespaces/cmp/jobs/j1'] ?? null, 'spec.selector'),
    ).toEqual({
      matchLabels: { 'batch.kubernetes.io/controller-uid': '<own uid>' },
    });
  });

  it('prints them in the same columns with kubectl get -o wide', async () => {
    // ResourceQuota is left out: kube-sim runs no quota controller (testkit/README.md).
    const kinds = 'deploy,sts,ds,jobs,cj,hpa,svc,pvc,sa,secrets,roles,limitranges,leases,pdb,rc,cm';
    const printed = await both(async (env) =>
      (await ok(env, ['-n', 'cmp', 'get', kinds, '-o', 'wide']))
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uid>')
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>')
        .replace(/\b10\.43\.\d+\.\d+\b/g, '<cluster-ip>')
        .replace(/ +(\d+[smhd])+( |$)/gm, ' <age>$2')
        .replace(/ +/g, ' '),
    );
    expect(printed[0]).toBe(printed[1]);
    expect(printed[1]).toContain('deployment.apps/d1 0/0 0 0 <age> c nginx:1.27 app=d1');
    const priority = await both(async (env) =>
      (await ok(env, ['get', 'priorityclass', 'pc-cmp', 'system-node-critical', '--no-headers']))
        .replace(/ +(\d+[smhd])+ /g, ' <age> ')
        .replace(/ +/g, ' '),
    );
    expect(priority[0]).toBe(priority[1]);
  });

  it('refuses pods naming a missing ServiceAccount, PriorityClass or RuntimeClass in the same words', async () => {
    const pod = (spec: Record<string, string>): string =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'refused' },
        spec: { ...spec, containers: [{ name: 'c', image: 'busybox' }] },
      });
    const answers = await both(async (env) => {
      await ok(env, ['create', 'namespace', 'refusals']);
      await waitFor(`${env.name}: default ServiceAccount`, async () =>
        (await env.raw('GET', '/api/v1/namespaces/refusals/serviceaccounts/default')).status === 200
          ? true
          : undefined,
      );
      const path = '/api/v1/namespaces/refusals/pods';
      return Promise.all(
        [
          pod({ serviceAccountName: 'ghost' }),
          pod({ priorityClassName: 'ghost' }),
          pod({ runtimeClassName: 'ghost' }),
        ].map(async (b) => {
          const r = await env.raw('POST', path, b, JSON_HEADERS);
          return [r.status, r.body];
        }),
      );
    });
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[1][0]?.[1]).toContain(
      'pods \\"refused\\" is forbidden: error looking up service account refusals/ghost: serviceaccount \\"ghost\\" not found',
    );
  });

  it('deletes a running pod gracefully: Terminating for its grace period, at once when forced', async () => {
    const answers = await both(async (env) => {
      await ok(env, ['create', 'namespace', 'grace']);
      await waitFor(`${env.name}: default ServiceAccount`, async () =>
        (await env.raw('GET', '/api/v1/namespaces/grace/serviceaccounts/default')).status === 200
          ? true
          : undefined,
      );
      await ok(env, ['-n', 'grace', 'run', 'slow', '--image=nginx:1.27']);
      await waitFor(
        `${env.name}: slow Running`,
        async () =>
          (await ok(env, [
            '-n',
            'grace',
            'get',
            'pod',
            'slow',
            '-o',
            'jsonpath={.status.phase}',
          ])) === 'Running'
            ? true
            : undefined,
        60_000,
        250,
      );
      const deleted = parse(await env.raw('DELETE', '/api/v1/namespaces/grace/pods/slow'));
      const forced = await env.raw(
        'DELETE',
        '/api/v1/namespaces/grace/pods/slow?gracePeriodSeconds=0',
      );
      const after = await env.raw('GET', '/api/v1/namespaces/grace/pods/slow');
      return {
        graceSeconds: field(deleted, 'metadata.deletionGracePeriodSeconds'),
        terminating: typeof field(deleted, 'metadata.deletionTimestamp') === 'string',
        generation: field(deleted, 'metadata.generation'),
        forced: forced.status,
        after: after.status,
      };
    });
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[1]).toEqual({
      graceSeconds: 30,
      terminating: true,
      generation: 2,
      forced: 200,
      after: 404,
    });
  });
});
