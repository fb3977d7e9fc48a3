/**
 * Server-side field validation, the same on kube-sim and the real kube-apiserver v1.36: an
 * unknown field is refused by `fieldValidation=Strict` (400, strict decoding error naming
 * every unknown field), dropped with a Warning header by `Warn` (the default) and silently by
 * `Ignore`; server-side apply refuses it whatever the directive says (typed patch error); a
 * bad directive is a 422; a stale resourceVersion in a dry-run apply is a 409 Conflict.
 *
 * @see ../src/kube-sim/server/field-validation.ts
 */
import { describe, expect, it } from 'vitest';
import { SUBSTRATES, useSubstrate } from './kube-sim-substrates.ts';

const deployment = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    },
    ...extra,
  },
});

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const JSON_TYPE = { 'Content-Type': 'application/json' };
const APPLY_TYPE = { 'Content-Type': 'application/apply-patch+yaml' };

interface Status {
  code: number;
  reason?: string;
  message: string;
}

describe.each(SUBSTRATES)('field validation on %s', (_name, start) => {
  const env = useSubstrate(start, { nodes: 1 });
  const post = (query: string, body: unknown) =>
    env.current.raw('POST', `${DEPLOYMENTS}?dryRun=All${query}`, JSON.stringify(body), JSON_TYPE);

  it('Strict refuses every unknown field with a 400 naming it', async () => {
    const r = await post('&fieldValidation=Strict', deployment('a', { foo: 1, bar: 'x' }));
    expect(r.status).toBe(400);
    const status = JSON.parse(r.body) as Status;
    expect(status.reason).toBe('BadRequest');
    expect(status.message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", unknown field "spec.bar"',
    );
  });

  it('Warn (the default) drops unknown fields and warns; Ignore drops them silently', async () => {
    for (const query of ['&fieldValidation=Warn', '']) {
      const r = await post(query, deployment('a', { foo: 1 }));
      expect(r.status, r.body).toBe(201);
      expect(String(r.headers['warning'])).toBe('299 - "unknown field \\"spec.foo\\""');
      expect((JSON.parse(r.body) as { spec: Record<string, unknown> }).spec['foo']).toBeUndefined();
    }
    const ignored = await post('&fieldValidation=Ignore', deployment('a', { foo: 1 }));
    expect(ignored.status).toBe(201);
    expect(ignored.headers['warning']).toBeUndefined();
    expect(
      (JSON.parse(ignored.body) as { spec: Record<string, unknown> }).spec['foo'],
    ).toBeUndefined();
  });

  it('server-side apply refuses unknown fields whatever the directive', async () => {
    for (const directive of ['Strict', 'Ignore']) {
      const r = await env.current.raw(
        'PATCH',
        `${DEPLOYMENTS}/b?fieldManager=t&dryRun=All&fieldValidation=${directive}`,
        JSON.stringify(deployment('b', { foo: 1 })),
        APPLY_TYPE,
      );
      expect(r.status).toBe(500);
      expect((JSON.parse(r.body) as Status).message).toBe(
        'failed to create typed patch object (default/b; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema',
      );
    }
  });

  it('refuses a directive it does not know with a 422', async () => {
    const r = await env.current.raw(
      'PATCH',
      `${DEPLOYMENTS}/b?fieldManager=t&dryRun=All&fieldValidation=strictish`,
      JSON.stringify(deployment('b')),
      APPLY_TYPE,
    );
    expect(r.status).toBe(422);
    expect((JSON.parse(r.body) as Status).message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strictish": supported values: "", "Ignore", "Strict", "Warn"',
    );
  });

  it('a dry-run apply with a stale resourceVersion is a 409 Conflict', async () => {
    const path = `${DEPLOYMENTS}/c?fieldManager=t`;
    const created = await env.current.raw(
      'PATCH',
      path,
      JSON.stringify(deployment('c')),
      APPLY_TYPE,
    );
    expect(created.status, created.body).toBe(201);
    const stale = deployment('c');
    const r = await env.current.raw(
      'PATCH',
      `${path}&dryRun=All`,
      JSON.stringify({ ...stale, metadata: { ...stale.metadata, resourceVersion: '1' } }),
      APPLY_TYPE,
    );
    expect(r.status).toBe(409);
    expect((JSON.parse(r.body) as Status).message).toBe(
      'Operation cannot be fulfilled on deployments.apps "c": the object has been modified; please apply your changes to the latest version and try again',
    );
  });
});
