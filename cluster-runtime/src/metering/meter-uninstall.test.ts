import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KubeApiError, type KubeClient } from '../client.ts';
import { METER_FINALIZER } from './meter-names.ts';
import { stripAllMeteringFinalizers } from './meter-uninstall.ts';

const pod = (name: string, rv: string, finalizers: string[]): V1Pod => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv, finalizers },
});

/** Pods in pages of one; the first patch of `conflicted` answers 409 (someone wrote meanwhile). */
function fake(pods: V1Pod[], conflicted: string) {
  const patches: { name: string; patch: unknown }[] = [];
  const pages: (string | undefined)[] = [];
  let conflicts = 0;
  const client = {
    list: (_t: unknown, o: { continue?: string }) => {
      pages.push(o.continue);
      const i = o.continue ? Number(o.continue) : 0;
      const next = i + 1 < pods.length ? String(i + 1) : undefined;
      return Promise.resolve({
        items: [pods[i]],
        resourceVersion: '9',
        ...(next ? { continue: next } : {}),
      });
    },
    get: (_t: unknown, name: string) =>
      Promise.resolve(pod(name, '2', ['example.com/other', METER_FINALIZER])),
    mergePatch: (_t: unknown, name: string, patch: unknown) => {
      if (name === conflicted && conflicts++ === 0)
        return Promise.reject(
          new KubeApiError(409, 'Conflict', 'the object has been modified', 'PATCH', '/'),
        );
      patches.push({ name, patch });
      return Promise.resolve({});
    },
  } as unknown as KubeClient;
  return { client, patches, pages };
}

describe('stripping the metering finalizer', () => {
  it('pages through every pod, patches with the resourceVersion read, re-reads on 409', async () => {
    const { client, patches, pages } = fake(
      [
        pod('a', '1', [METER_FINALIZER]),
        pod('b', '1', ['example.com/other']),
        pod('c', '1', ['example.com/keep', METER_FINALIZER]),
      ],
      'c',
    );
    expect(await stripAllMeteringFinalizers(client, { pageSize: 1 })).toBe(2);
    expect(pages).toEqual([undefined, '1', '2']);
    expect(patches).toEqual([
      { name: 'a', patch: { metadata: { resourceVersion: '1', finalizers: [] } } },
      // After the 409: the re-read object's version and its finalizers (one added meanwhile).
      {
        name: 'c',
        patch: { metadata: { resourceVersion: '2', finalizers: ['example.com/other'] } },
      },
    ]);
  });
});
