/**
 * kube-sim against the real kube-apiserver v1.36.3, request for request: each case sends the
 * same request to both substrates and expects the same answer (byte for byte where nothing in
 * it varies by cluster, else the same shape once uids, versions, timestamps and addresses are
 * blanked). These are the gaps an outside client found in kube-sim (issue "control plane",
 * item 4): boolean query parameters, Status bodies, Services' status, ReplicationControllers,
 * APIServices, PartialObjectMetadata, kube-root-ca.crt, watch-lists. What kube-sim still does
 * differently is listed in testkit/README.md (kube-sim).
 *
 * @see ./kube-sim-substrates.ts
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './kube-sim-helpers.ts';
import {
  blank,
  field,
  JSON_HEADERS,
  lines,
  parse,
  PARTIAL,
  PARTIAL_LIST,
  type Json,
} from './kube-sim-parity-helpers.ts';
import { startCpEnv, startSimEnv, useSubstrate, type SubstrateEnv } from './kube-sim-substrates.ts';

describe('kube-sim answers as the real kube-apiserver does', () => {
  const sim = useSubstrate(startSimEnv, { nodes: 1 });
  const cp = useSubstrate(startCpEnv, { nodes: 1 });
  /** Runs `f` on kube-sim, then on the control plane. */
  const both = async <T>(f: (env: SubstrateEnv) => Promise<T>): Promise<[T, T]> => [
    await f(sim.current),
    await f(cp.current),
  ];
  const ok = async (env: SubstrateEnv, args: string[], input?: string): Promise<string> => {
    const r = await env.kubectl(args, input);
    if (r.code !== 0) throw new Error(`${env.name}: kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    await both(async (env) => {
      await ok(env, ['create', 'namespace', 'parity']);
      await ok(env, ['-n', 'parity', 'create', 'configmap', 'one', '--from-literal=a=b']);
      // The namespace's kube-root-ca.crt comes from a controller: wait until it is there.
      await waitFor(`${env.name}: kube-root-ca.crt in parity`, async () => {
        const r = await env.raw('GET', '/api/v1/namespaces/parity/configmaps/kube-root-ca.crt');
        return r.status === 200 ? true : undefined;
      });
    });
  }, 120_000);

  it('reads boolean query parameters as apimachinery converts them', async () => {
    const first = async (env: SubstrateEnv, query: string): Promise<string> => {
      const r = await env.raw('GET', `/api/v1/namespaces/parity/configmaps?${query}`);
      const line = lines(r)[0] ?? null;
      return String(field(line, 'type') ?? field(line, 'kind'));
    };
    const watching = ['true', 'True', 'TRUE', '1', 'yes', ''];
    const listing = ['false', 'False', 'FALSE', '0'];
    const answers = await both((env) =>
      Promise.all([...watching, ...listing].map((v) => first(env, `watch=${v}&timeoutSeconds=1`))),
    );
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[1]).toEqual([
      ...watching.map(() => 'ADDED'),
      ...listing.map(() => 'ConfigMapList'),
    ]);
    // A named GET stays a get whatever `watch` says; the deprecated /watch/ prefix watches.
    const named = await both(async (env) => [
      field(
        parse(await env.raw('GET', '/api/v1/namespaces/parity/configmaps/one?watch=1')),
        'kind',
      ),
      field(
        lines(
          await env.raw('GET', '/api/v1/watch/namespaces/parity/configmaps/one?timeoutSeconds=1'),
        )[0] ?? null,
        'type',
      ),
    ]);
    expect(named).toEqual([
      ['ConfigMap', 'ADDED'],
      ['ConfigMap', 'ADDED'],
    ]);
  });

  it('writes the same Status bodies, to the byte', async () => {
    const cm = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
    const requests: Array<[string, string, string?, Record<string, string>?]> = [
      ['POST', '/api/v1/namespaces/parity/configmaps', cm, JSON_HEADERS],
      ['GET', '/api/v1/namespaces/parity/configmaps/none'],
      // Indented for ?pretty=true and for curl (isPrettyPrint).
      ['GET', '/api/v1/namespaces/parity/configmaps/none?pretty=true'],
      [
        'GET',
        '/api/v1/namespaces/parity/configmaps/none',
        undefined,
        { 'User-Agent': 'curl/8.5.0' },
      ],
      ['GET', '/apis/apps/v1/namespaces/parity/deployments/none'],
      ['POST', '/api/v1/namespaces/nope/configmaps', cm, JSON_HEADERS],
      ['GET', '/api/v1/nonexistent'],
      ['GET', '/apis/nogroup.example.com/v1/things'],
      ['POST', '/api/v1/namespaces/parity/configmaps/one', cm, JSON_HEADERS],
      [
        'POST',
        '/api/v1/namespaces/parity/pods',
        JSON.stringify({ metadata: { name: 'empty' }, spec: { containers: [] } }),
        JSON_HEADERS,
      ],
      [
        'PATCH',
        '/api/v1/namespaces/parity/configmaps/one',
        '[{"op":"test","path":"/data/a","value":"z"}]',
        { 'Content-Type': 'application/json-patch+json' },
      ],
      ['GET', '/api/v1/namespaces/parity/configmaps', undefined, { 'Impersonate-User': 'nobody' }],
      [
        'GET',
        '/api/v1/namespaces/parity/configmaps/one',
        undefined,
        { 'Impersonate-User': 'nobody' },
      ],
      ['GET', '/api/v1/namespaces/parity/configmaps?watch=1&sendInitialEvents=true'],
      ['GET', '/api/v1/namespaces/parity/configmaps?watch=1&resourceVersionMatch=NotOlderThan'],
    ];
    const answers = await both((env) =>
      Promise.all(requests.map(([m, p, b, h]) => env.raw(m, p, b, h))),
    );
    for (const [i, [method, path]] of requests.entries()) {
      const [s, c] = [answers[0][i], answers[1][i]];
      expect({ request: `${method} ${path}`, status: s?.status, body: s?.body }).toEqual({
        request: `${method} ${path}`,
        status: c?.status,
        body: c?.body,
      });
    }
    // AlreadyExists names the object, core kinds carry no group, the body ends with a newline.
    expect(answers[0][0]?.body).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"one\\" already exists","reason":"AlreadyExists","details":{"name":"one","kind":"configmaps"},"code":409}\n',
    );
    const unauthorized = await both((env) =>
      env.raw(
        'GET',
        '/api/v1/namespaces',
        undefined,
        { Authorization: 'Bearer nope' },
        { anonymous: true },
      ),
    );
    expect(unauthorized[0].body).toBe(unauthorized[1].body);
  });

  it('gives Services their defaults and an empty load-balancer status', async () => {
    const svc = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    const [s, c] = await both(async (env) =>
      blank(parse(await env.raw('POST', '/api/v1/namespaces/parity/services', svc, JSON_HEADERS))),
    );
    expect(s).toEqual(c);
    expect(field(c, 'status')).toEqual({ loadBalancer: {} });
  });

  it('serves ReplicationControllers, defaulted and run', async () => {
    const rc = [
      'apiVersion: v1',
      'kind: ReplicationController',
      'metadata: {name: legacy}',
      'spec:',
      '  replicas: 1',
      '  template:',
      '    metadata: {labels: {app: legacy}}',
      '    spec: {containers: [{name: c, image: "nginx:1.27"}]}',
    ].join('\n');
    const [s, c] = await both(async (env) => {
      await ok(env, ['-n', 'parity', 'apply', '-f', '-'], rc);
      const o = parse(
        await env.raw('GET', '/api/v1/namespaces/parity/replicationcontrollers/legacy'),
      );
      return blank({ metadata: field(o, 'metadata') ?? null, spec: field(o, 'spec') ?? null });
    });
    expect(s).toEqual(c);
    expect(field(c, 'metadata.labels')).toEqual({ app: 'legacy' });
    expect(field(c, 'spec.selector')).toEqual({ app: 'legacy' });
    const tables = await both(async (env) => {
      await ok(env, ['-n', 'parity', 'scale', 'rc', 'legacy', '--replicas=2']);
      await waitFor(
        `${env.name}: 2 ready replicas`,
        async () =>
          (await ok(env, [
            '-n',
            'parity',
            'get',
            'rc',
            'legacy',
            '-o',
            'jsonpath={.status.readyReplicas}',
          ])) === '2'
            ? true
            : undefined,
        60_000,
        250,
      );
      return (await ok(env, ['-n', 'parity', 'get', 'rc', 'legacy', '--no-headers'])).replace(
        /\S+\n$/,
        '',
      );
    });
    expect(tables[0]).toBe(tables[1]);
    expect(tables[1]).toMatch(/^legacy\s+2\s+2\s+2\s+$/);
  });

  it('lists APIServices as the aggregator registers them, CRD versions included', async () => {
    const [s, c] = await both((env) =>
      Promise.all(
        ['v1.', 'v1.apps', 'v2.autoscaling', 'v1.apiextensions.k8s.io'].map(async (name) =>
          blank(parse(await env.raw('GET', `/apis/apiregistration.k8s.io/v1/apiservices/${name}`))),
        ),
      ),
    );
    expect(s).toEqual(c);
    const got = await both((env) => ok(env, ['get', 'apiservice', 'v1.apps', '--no-headers']));
    expect(got[0].replace(/\S+\n$/, '')).toBe(got[1].replace(/\S+\n$/, ''));
    expect(got[1]).toMatch(/^v1\.apps\s+Local\s+True\s+\S+\n$/);
    const metrics = await both(async (env) =>
      field(
        parse(
          await env.raw(
            'GET',
            '/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io',
          ),
        ),
        'status.conditions',
      ),
    );
    expect(metrics.map((m) => field((m as Json[])[0] ?? null, 'status'))).toEqual(['True', 'True']);
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: {name: gadgets.parity.example.com}',
      'spec:',
      '  group: parity.example.com',
      '  scope: Namespaced',
      '  names: {plural: gadgets, singular: gadget, kind: Gadget}',
      '  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]',
    ].join('\n');
    const registered = await both(async (env) => {
      await ok(env, ['apply', '-f', '-'], crd);
      return waitFor(`${env.name}: APIService v1.parity.example.com`, async () => {
        const r = await env.raw(
          'GET',
          '/apis/apiregistration.k8s.io/v1/apiservices/v1.parity.example.com',
        );
        return r.status === 200 ? blank(parse(r)) : undefined;
      });
    });
    expect(registered[0]).toEqual(registered[1]);
    expect(field(registered[1], 'spec')).toEqual({
      group: 'parity.example.com',
      version: 'v1',
      groupPriorityMinimum: 1000,
      versionPriority: 100,
    });
  });

  it('answers PartialObjectMetadata Accept headers, 406 when the form does not fit', async () => {
    const [s, c] = await both(async (env) => {
      const list = parse(
        await env.raw('GET', '/api/v1/namespaces/parity/configmaps', undefined, {
          Accept: PARTIAL_LIST,
        }),
      );
      const one = parse(
        await env.raw('GET', '/api/v1/namespaces/parity/configmaps/one', undefined, {
          Accept: PARTIAL,
        }),
      );
      const watched = lines(
        await env.raw(
          'GET',
          '/api/v1/namespaces/parity/configmaps?watch=1&timeoutSeconds=1&fieldSelector=metadata.name%3Done',
          undefined,
          {
            Accept: PARTIAL,
          },
        ),
      );
      const refused = await Promise.all([
        env.raw('GET', '/api/v1/namespaces/parity/configmaps', undefined, { Accept: PARTIAL }),
        env.raw('GET', '/api/v1/namespaces/parity/configmaps/one', undefined, {
          Accept: PARTIAL_LIST,
        }),
        env.raw('GET', '/apis/apps/v1/namespaces/parity/deployments', undefined, {
          Accept: PARTIAL,
        }),
        env.raw('GET', '/api/v1/namespaces/parity/configmaps', undefined, {
          Accept: 'application/json;as=Nothing;g=meta.k8s.io;v=v1',
        }),
      ]);
      return {
        list: { kind: field(list, 'kind'), items: (field(list, 'items') as Json[]).map(blank) },
        one: blank(one),
        watched: blank(watched),
        refused: refused.map((r) => [r.status, r.body]),
      };
    });
    expect(s).toEqual(c);
    expect(c.list.kind).toBe('PartialObjectMetadataList');
    expect(field(c.one, 'kind')).toBe('PartialObjectMetadata');
    expect(c.refused[0]?.[1]).toContain(
      'you requested PartialObjectMetadata, but the requested object is a list (*core.ConfigMapList)',
    );
  });

  it('publishes kube-root-ca.crt in every namespace and keeps it there', async () => {
    const path = '/api/v1/namespaces/parity/configmaps/kube-root-ca.crt';
    const caOf = (o: Json): Json | undefined =>
      (field(o, 'data') as Record<string, Json> | null)?.['ca.crt'];
    /** The ConfigMap blanked, its CA replaced by whether it is this cluster's. */
    const shape = (env: SubstrateEnv, o: Json): Json =>
      blank({
        ...(o as { [k: string]: Json }),
        data: { 'ca.crt': caOf(o) === env.caPem ? '<cluster CA>' : 'other' },
      });
    const answers = await both(async (env) => {
      const published = parse(await env.raw('GET', path));
      await env.raw('DELETE', path);
      const again = await waitFor(`${env.name}: kube-root-ca.crt back`, async () => {
        const r = await env.raw('GET', path);
        return r.status === 200 ? parse(r) : undefined;
      });
      await env.raw(
        'PATCH',
        path,
        '{"data":{"ca.crt":"tampered"},"metadata":{"annotations":null}}',
        {
          'Content-Type': 'application/merge-patch+json',
        },
      );
      const restored = await waitFor(`${env.name}: kube-root-ca.crt restored`, async () => {
        const o = parse(await env.raw('GET', path));
        return caOf(o) === env.caPem ? o : undefined;
      });
      return {
        published: shape(env, published),
        recreated: field(again, 'metadata.uid') !== field(published, 'metadata.uid'),
        restored: shape(env, restored),
      };
    });
    expect(answers[0]).toEqual(answers[1]);
    expect(field(answers[1].published, 'data')).toEqual({ 'ca.crt': '<cluster CA>' });
    expect(answers[1].recreated).toBe(true);
  });

  it('streams a watch-list: the current objects, then the initial-events-end bookmark', async () => {
    const [s, c] = await both(async (env) => {
      const r = await env.raw(
        'GET',
        '/api/v1/namespaces/parity/configmaps?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1',
      );
      const events = lines(r).map((e) => {
        const type = String(field(e, 'type'));
        if (type !== 'BOOKMARK') return [type, String(field(e, 'object.metadata.name'))];
        const annotations = field(e, 'object.metadata.annotations') as Record<string, Json> | null;
        const end = annotations?.['k8s.io/initial-events-end'] === 'true';
        return [type, end ? 'initial-events-end' : 'bookmark'];
      });
      const end = events.findIndex(([t]) => t === 'BOOKMARK');
      return events.slice(0, end + 1).sort();
    });
    expect(s).toEqual(c);
    expect(c).toContainEqual(['BOOKMARK', 'initial-events-end']);
  });

  it('reports a v1.36 version in the same fields', async () => {
    const [s, c] = await both(async (env) => parse(await env.raw('GET', '/version')));
    expect(Object.keys(s as object)).toEqual(Object.keys(c as object));
    expect(field(s, 'gitVersion')).toBe('v1.36.3-sim');
    expect(field(c, 'gitVersion')).toBe('v1.36.3');
  });
});
