/** Custom resources of a CRD in the same manifest: the kinds it defines, waiting until served. */
import { KubeApiError, UnknownResourceError, type ApiResource } from '@nodeless/cluster-runtime';
import { describe, expect, it } from 'vitest';
import { parseManifest } from './documents.ts';
import { manifestObjects, type ManifestObject } from './manifest-objects.ts';
import { definedKinds, kindKey, whenServed } from './served-kinds.ts';

const MANIFEST = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  scope: Namespaced
  versions: [{name: v1}, {name: v2}]
---
apiVersion: example.com/v1
kind: Gadget
metadata: {name: g1}
---
apiVersion: example.com/v2
kind: Gadget
metadata: {name: g2, namespace: team}
`;

const objects = (): ManifestObject[] => manifestObjects(parseManifest(MANIFEST).documents).objects;
const at = (i: number): ManifestObject => {
  const o = objects()[i];
  if (!o) throw new Error(`no object ${i}`);
  return o;
};

/** A client whose kind is served from the `servedAt`-th lookup on (Infinity: never). */
function discovery(servedAt: number, namespaced = true, error?: Error) {
  let calls = 0;
  const resource = (ref: { apiVersion: string; kind: string }): Promise<ApiResource> => {
    calls++;
    if (error) return Promise.reject(error);
    if (calls < servedAt) return Promise.reject(new UnknownResourceError('not served'));
    return Promise.resolve({ ...ref, plural: 'gadgets', namespaced });
  };
  return { client: { resource }, calls: () => calls };
}

/** A fake clock that advances only when waited on. */
function clock() {
  let t = 0;
  return { now: () => t, sleep: (ms: number) => Promise.resolve(void (t += ms)) };
}

describe('definedKinds', () => {
  it('names every version of every CRD in the manifest, and nothing else', () => {
    const kinds = definedKinds(objects());
    expect([...kinds]).toEqual(['example.com/v1/Gadget', 'example.com/v2/Gadget']);
    expect(kinds.has(kindKey(at(1).ref))).toBe(true);
  });
});

describe('whenServed', () => {
  it('waits while discovery does not know the kind, then gives a namespaced one `default`', async () => {
    const d = discovery(4);
    const item = await whenServed(d.client, at(1), clock());
    expect(d.calls()).toBe(4);
    expect(item?.ref).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      name: 'g1',
      namespace: 'default',
    });
    expect((await whenServed(discovery(1).client, at(2), clock()))?.ref.namespace).toBe('team');
  });

  it('drops the namespace of a cluster-scoped kind', async () => {
    const item = await whenServed(discovery(1, false).client, at(2), clock());
    expect(item?.ref).not.toHaveProperty('namespace');
  });

  it('gives up at the deadline, and passes other errors and an abort on', async () => {
    const c = clock();
    expect(await whenServed(discovery(Infinity).client, at(1), { ...c, timeoutMs: 1000 })).toBe(
      undefined,
    );
    expect(c.now()).toBeGreaterThanOrEqual(1000);
    const denied = new KubeApiError(403, 'Forbidden', 'forbidden', 'GET', '/apis/example.com/v1');
    await expect(whenServed(discovery(1, true, denied).client, at(1), clock())).rejects.toBe(
      denied,
    );
    const abort = new AbortController();
    abort.abort();
    await expect(
      whenServed(discovery(1).client, at(1), { ...clock(), signal: abort.signal }),
    ).rejects.toThrow();
  });
});
