/**
 * kube-sim refuses what kube-apiserver refuses for the meter's sealed ledger chunks (issue 15):
 * once a ConfigMap or Secret is stored `immutable: true`, an update (PUT, merge patch or
 * server-side apply) of its data or of its immutability is 422 Invalid with the same Status
 * (message, causes); metadata still changes; a stale resourceVersion is 409 Conflict BEFORE any
 * validation (Store.Update checks the precondition first); deletion remains. Every answer is
 * compared whole between the two substrates, the real one also pinned to upstream's wording.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go (ValidateConfigMapUpdate, ValidateSecretUpdate)
 * @see https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go (Update: Conflict before BeforeUpdate)
 */
import { describe, expect, it } from 'vitest';
import { JSON_HEADERS } from './kube-sim-parity-helpers.ts';
import { startCpEnv, startSimEnv, useSubstrate, type SubstrateEnv } from './kube-sim-substrates.ts';

const NS = '/api/v1/namespaces/default';
const FORBIDDEN = 'Forbidden: field is immutable when `immutable` is set';
const MERGE = { 'Content-Type': 'application/merge-patch+json' };
const APPLY = { 'Content-Type': 'application/apply-patch+yaml' };

type Json = Record<string, unknown>;

function body(kind: 'ConfigMap' | 'Secret', name: string, fields: Json, rv?: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind,
    metadata: { name, ...(rv === undefined ? {} : { resourceVersion: rv }) },
    ...fields,
  });
}

/** The status code and the whole answer, minus what differs per object (rv, uid, times). */
function answer(r: { status: number; body: string }): { status: number; body: Json } {
  const o = JSON.parse(r.body) as Json;
  if (o['kind'] === 'Status') return { status: r.status, body: o };
  const meta = (o['metadata'] ?? {}) as Json;
  const keep = { labels: meta['labels'] };
  return { status: r.status, body: { data: o['data'], immutable: o['immutable'], ...keep } };
}

async function scenario(env: SubstrateEnv) {
  const cms = `${NS}/configmaps`;
  const post = (path: string, b: string) => env.raw('POST', path, b, JSON_HEADERS);
  const put = (b: string, name = 'sealed') => env.raw('PUT', `${cms}/${name}`, b, JSON_HEADERS);
  const created = await post(
    cms,
    body('ConfigMap', 'sealed', { data: { a: '1' }, immutable: true }),
  );
  expect(created.status).toBe(201);
  const rv = (JSON.parse(created.body) as { metadata: { resourceVersion: string } }).metadata
    .resourceVersion;
  const sealed = (fields: Json, extra: Json = {}) =>
    body('ConfigMap', 'sealed', { immutable: true, data: { a: '1' }, ...fields, ...extra });
  const out: Record<string, { status: number; body: Json }> = {};
  out['data'] = answer(await put(sealed({ data: { a: '2' } })));
  out['unseal'] = answer(await put(sealed({ immutable: false })));
  out['dropImmutable'] = answer(await put(body('ConfigMap', 'sealed', { data: { a: '1' } })));
  out['both'] = answer(await put(sealed({ immutable: false, data: { b: '1' } })));
  out['binaryData'] = answer(await put(sealed({ binaryData: { bin: 'AAE=' } })));
  // Metadata still changes (and moves the resourceVersion on: `rv` is stale from here).
  out['labels'] = answer(
    await env.raw(
      'PATCH',
      `${cms}/sealed`,
      JSON.stringify({ metadata: { labels: { ledger: 'chunk' } } }),
      MERGE,
    ),
  );
  out['staleAndData'] = answer(
    await put(body('ConfigMap', 'sealed', { immutable: true, data: { a: '2' } }, rv)),
  );
  out['mergePatch'] = answer(
    await env.raw('PATCH', `${cms}/sealed`, JSON.stringify({ data: { a: '3' } }), MERGE),
  );
  out['apply'] = answer(
    await env.raw(
      'PATCH',
      `${cms}/sealed?fieldManager=test&force=true`,
      sealed({ data: { a: '4' } }),
      APPLY,
    ),
  );
  out['dryRun'] = answer(
    await env.raw('PUT', `${cms}/sealed?dryRun=All`, sealed({ data: { a: '5' } }), JSON_HEADERS),
  );
  out['delete'] = { status: (await env.raw('DELETE', `${cms}/sealed`)).status, body: {} };

  // A sealed chunk written again as it is, with `data: {}` or none: both accepted (kube-apiserver
  // stores an empty map as absent, protobuf in etcd, so it answers without `data` where
  // kube-sim echoes `{}` — a storage difference, not the rule: compared by status).
  await post(cms, body('ConfigMap', 'empty', { data: {}, immutable: true }));
  const emptyPut = (fields: Json) =>
    put(body('ConfigMap', 'empty', { immutable: true, ...fields }), 'empty');
  out['emptyToEmpty'] = { status: (await emptyPut({ data: {} })).status, body: {} };
  out['emptyToNone'] = { status: (await emptyPut({})).status, body: {} };
  out['emptyToData'] = answer(await emptyPut({ data: { a: '1' } }));

  const secrets = `${NS}/secrets`;
  await post(secrets, body('Secret', 'sealed', { stringData: { k: 'v' }, immutable: true }));
  out['secretStringData'] = answer(
    await env.raw(
      'PUT',
      `${secrets}/sealed`,
      body('Secret', 'sealed', { stringData: { k: 'w' }, immutable: true }),
      JSON_HEADERS,
    ),
  );

  await post(cms, body('ConfigMap', 'open', { data: { a: '1' } }));
  out['staleOpen'] = answer(
    await put(body('ConfigMap', 'open', { data: { a: '2' } }, '1'), 'open'),
  );
  return out;
}

const invalid = (kind: string, fields: string[]) => {
  const summary = fields.map((f) => `${f}: ${FORBIDDEN}`).join(', ');
  return {
    status: 422,
    body: expect.objectContaining({
      reason: 'Invalid',
      code: 422,
      message: `${kind} "sealed" is invalid: ${fields.length > 1 ? `[${summary}]` : summary}`,
      details: {
        name: 'sealed',
        kind,
        causes: fields.map((field) => ({
          reason: 'FieldValueForbidden',
          message: FORBIDDEN,
          field,
        })),
      },
    }) as unknown,
  };
};

describe('immutable ConfigMaps and Secrets', () => {
  const sim = useSubstrate(startSimEnv, { nodes: 1 });
  const cp = useSubstrate(startCpEnv, { nodes: 1 });

  it('are refused by kube-sim exactly as by kube-apiserver', async () => {
    const real = await scenario(cp.current);
    expect(real['data']).toEqual(invalid('ConfigMap', ['data']));
    expect(real['unseal']).toEqual(invalid('ConfigMap', ['immutable']));
    expect(real['dropImmutable']).toEqual(invalid('ConfigMap', ['immutable']));
    expect(real['both']).toEqual(invalid('ConfigMap', ['immutable', 'data']));
    expect(real['binaryData']).toEqual(invalid('ConfigMap', ['binaryData']));
    expect(real['mergePatch']).toEqual(invalid('ConfigMap', ['data']));
    expect(real['apply']).toEqual(invalid('ConfigMap', ['data']));
    expect(real['dryRun']).toEqual(invalid('ConfigMap', ['data']));
    expect(real['secretStringData']).toEqual(invalid('Secret', ['data']));
    expect(real['staleAndData']?.status).toBe(409);
    expect(real['staleOpen']?.status).toBe(409);
    expect(real['labels']).toEqual({
      status: 200,
      body: { data: { a: '1' }, immutable: true, labels: { ledger: 'chunk' } },
    });
    expect(real['delete']?.status).toBe(200);
    expect([real['emptyToEmpty']?.status, real['emptyToNone']?.status]).toEqual([200, 200]);
    expect(real['emptyToData']?.status).toBe(422);

    const simulated = await scenario(sim.current);
    expect(simulated).toEqual(real);
  });
});
