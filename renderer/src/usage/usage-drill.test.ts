/** The Usage section's drill-down and range as the URL carries them. */
import { describe, expect, it } from 'vitest';
import type { UsageRow } from '@nodeless/backend/api';
import { parseRoute, routeHash } from '../ui/route-model.ts';
import {
  crumbs,
  drillInto,
  groupOf,
  parseUsageView,
  rowLabel,
  tableInput,
  TOP,
  usageViewSuffix,
  type UsageView,
} from './usage-drill.ts';
import { DEFAULT_RANGE } from './usage-range.ts';

const row = (over: Partial<UsageRow>): UsageRow => ({
  key: 'shop',
  namespace: 'shop',
  pods: 1,
  seconds: 10,
  specCpuMilliSeconds: 0,
  specMemoryKiBSeconds: 0,
  costMicros: 0,
  efficiency: { state: 'missing' },
  ...over,
});

describe('the URL', () => {
  const views: [string, UsageView][] = [
    ['#/clusters/c1/usage', { drill: TOP, range: DEFAULT_RANGE }],
    ['#/clusters/c1/usage/shop', { drill: { namespace: 'shop' }, range: DEFAULT_RANGE }],
    [
      '#/clusters/c1/usage/shop/Deployment/web?range=24h',
      {
        drill: { namespace: 'shop', workload: 'Deployment/web' },
        range: { kind: 'preset', preset: '24h' },
      },
    ],
    [
      '#/clusters/c1/usage/data/-?range=2026-11-01..2026-11-07',
      {
        drill: { namespace: 'data', workload: '' },
        range: { kind: 'custom', fromDay: '2026-11-01', toDay: '2026-11-07' },
      },
    ],
  ];
  it.each(views)('%s round-trips', (hash, usage) => {
    const route = { kind: 'cluster', clusterId: 'c1', section: 'usage', usage } as const;
    expect(parseRoute(hash)).toEqual(route);
    expect(routeHash(route)).toBe(hash);
  });

  it('escapes names and survives a hand-edited URL', () => {
    const usage: UsageView = {
      drill: { namespace: 'a b', workload: 'Job/x%y' },
      range: DEFAULT_RANGE,
    };
    expect(usageViewSuffix(usage)).toBe('/a%20b/Job/x%25y');
    expect(parseUsageView(['a%20b', 'Job', 'x%25y'], '')).toEqual(usage);
    expect(parseUsageView(['%E0%A4%A'], 'range=nonsense')).toEqual({
      drill: { namespace: '%E0%A4%A' },
      range: DEFAULT_RANGE,
    });
    expect(parseRoute('#/clusters/c1/usage?range=30d')).toMatchObject({
      usage: { drill: TOP, range: { kind: 'preset', preset: '30d' } },
    });
  });
});

describe('drilling', () => {
  it('namespace → workload → pod, and the table input at each level', () => {
    const span = { from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' };
    expect(groupOf(TOP)).toBe('namespace');
    expect(tableInput('c1', TOP, span)).toEqual({ clusterId: 'c1', ...span, by: 'namespace' });
    const ns = drillInto(TOP, row({}));
    expect(ns).toEqual({ namespace: 'shop' });
    expect(tableInput('c1', ns ?? TOP, span)).toMatchObject({ by: 'workload', namespace: 'shop' });
    const wl = drillInto(
      { namespace: 'shop' },
      row({ key: 'shop/Deployment/web', workload: { kind: 'Deployment', name: 'web' } }),
    );
    expect(wl).toEqual({ namespace: 'shop', workload: 'Deployment/web' });
    expect(tableInput('c1', wl ?? TOP, span)).toMatchObject({
      by: 'pod',
      namespace: 'shop',
      workload: 'Deployment/web',
    });
    // The bare pods of a namespace: workload '' (not left out).
    const bare = drillInto({ namespace: 'data' }, row({ key: 'data/', namespace: 'data' }));
    expect(bare).toEqual({ namespace: 'data', workload: '' });
    expect(tableInput('c1', bare ?? TOP, span)).toMatchObject({ by: 'pod', workload: '' });
    // A pod row is the deepest level.
    expect(
      drillInto(
        wl ?? TOP,
        row({
          key: 'uid-1',
          pod: { name: 'web-1', uid: 'uid-1', start: '', spec: { cpuMilli: 1, memoryBytes: 1 } },
        }),
      ),
    ).toBeUndefined();
  });

  it('breadcrumbs lead back up, the current level last', () => {
    expect(crumbs(TOP).map((c) => c.label)).toEqual(['All namespaces']);
    const path = crumbs({ namespace: 'shop', workload: 'Deployment/web' });
    expect(path.map((c) => c.label)).toEqual(['All namespaces', 'shop', 'Deployment/web']);
    expect(path[1]?.drill).toEqual({ namespace: 'shop' });
    expect(crumbs({ namespace: 'data', workload: '' }).at(-1)?.label).toBe(
      'Pods without a workload',
    );
  });

  it('labels rows at each level', () => {
    expect(rowLabel(row({}))).toBe('shop');
    expect(rowLabel(row({ key: 'shop/', namespace: 'shop' }))).toBe('Pods without a workload');
    expect(rowLabel(row({ key: 'shop/Job/x', workload: { kind: 'Job', name: 'x' } }))).toBe(
      'Job/x',
    );
  });
});
