/** The uid index follows its cache: upserts move a row between keys, deletes and resets rebuild. */
import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { FakeClient, flush, ManualTimers } from '../../test/watch-fakes.ts';
import { createIndex } from './cache-index.ts';
import { createWatchCache } from './watch-cache.ts';

interface Ev {
  uid: string;
  regarding?: string;
}
const ev = (uid: string, regarding: string | undefined, rv = '1'): KubernetesObject =>
  ({
    metadata: { uid, resourceVersion: rv },
    involvedObject: regarding ? { uid: regarding } : {},
  }) as KubernetesObject;
const project = (o: KubernetesObject): Ev => {
  const r = (o as { involvedObject?: { uid?: string } }).involvedObject?.uid;
  return { uid: o.metadata?.uid ?? '', ...(r ? { regarding: r } : {}) };
};

describe('createIndex', () => {
  it('joins rows by key without a scan and follows upserts, deletes and resets', async () => {
    const fake = new FakeClient();
    fake.listAnswers.push({
      items: [ev('e1', 'p1'), ev('e2', 'p1'), ev('e3', 'p2')],
      resourceVersion: '5',
    });
    const cache = createWatchCache<KubernetesObject, Ev>({
      client: () => fake.client,
      type: { apiVersion: 'v1', kind: 'Event' },
      project,
      timers: new ManualTimers(),
    });
    const index = createIndex(cache, (r) => r.regarding);
    cache.start();
    await flush();
    expect(index.get('p1').map((r) => r.uid)).toEqual(['e1', 'e2']);
    expect([...index.uids('p2')]).toEqual(['e3']);
    const w = fake.watch(0);
    w.emit('MODIFIED', ev('e2', 'p2', '6')); // moved to another key
    w.emit('ADDED', ev('e4', undefined, '7')); // no key: not indexed
    w.emit('DELETED', ev('e1', 'p1', '8'));
    expect(index.get('p1')).toEqual([]);
    expect(index.get('p2').map((r) => r.uid)).toEqual(['e3', 'e2']);
    fake.listAnswers.push({ items: [ev('e9', 'p3')], resourceVersion: '50' });
    w.emit('ERROR', { kind: 'Status', code: 410 } as KubernetesObject);
    await flush();
    expect(index.get('p2')).toEqual([]);
    expect(index.get('p3').map((r) => r.uid)).toEqual(['e9']);
    index.close();
    fake.watch(1).emit('ADDED', ev('e10', 'p3', '51'));
    expect(index.get('p3')).toEqual([]);
    cache.stop();
  });
});
