/** listPages: every page in order with the caller's options, the token passed on, early stops. */
import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { KubeClient, ListOptions, ListResult } from './client-api.ts';
import { listPages } from './list-pages.ts';
import { RESOURCES } from './resources.ts';

/** A list endpoint over `count` named objects, recording the options of every call. */
function pagedClient(count: number) {
  const calls: ListOptions[] = [];
  const names = Array.from({ length: count }, (_, i) => `p${i}`);
  const list = (
    _type: unknown,
    options: ListOptions = {},
  ): Promise<ListResult<KubernetesObject>> => {
    calls.push(options);
    const start = Number(options.continue ?? 0);
    const end = Math.min(start + (options.limit ?? count), count);
    return Promise.resolve({
      items: names.slice(start, end).map((name) => ({ metadata: { name } })),
      resourceVersion: '7',
      ...(end < count ? { continue: String(end) } : {}),
    });
  };
  const client: Pick<KubeClient, 'list'> = { list: list as KubeClient['list'] };
  return { client, calls };
}

describe('listPages', () => {
  it('reads every page once, in order, passing selectors, signal and the continue token', async () => {
    const { client, calls } = pagedClient(5);
    const signal = new AbortController().signal;
    const seen: string[] = [];
    for await (const page of listPages(client, RESOURCES.pods, {
      namespace: 'a',
      labelSelector: 'x=y',
      pageSize: 2,
      signal,
    })) {
      seen.push(...page.items.map((o) => o.metadata?.name ?? ''));
    }
    expect(seen).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(calls.map((c) => c.continue)).toEqual([undefined, '2', '4']);
    expect(
      calls.every((c) => c.limit === 2 && c.labelSelector === 'x=y' && c.signal === signal),
    ).toBe(true);
    expect(calls.every((c) => c.namespace === 'a')).toBe(true);
  });

  it('stops reading when the caller breaks, the last page still carrying its token', async () => {
    const { client, calls } = pagedClient(10);
    let last: ListResult<KubernetesObject> | undefined;
    for await (const page of listPages(client, RESOURCES.pods, { pageSize: 3 })) {
      last = page;
      break;
    }
    expect(calls).toHaveLength(1);
    expect(last?.continue).toBe('3');
  });

  it('asks once for an empty list', async () => {
    const { client, calls } = pagedClient(0);
    const pages: unknown[] = [];
    for await (const page of listPages(client, RESOURCES.pods)) pages.push(page);
    expect([pages.length, calls.length]).toEqual([1, 1]);
  });
});
