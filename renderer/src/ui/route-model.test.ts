import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, type Route } from './route-model.ts';

describe('parseRoute', () => {
  it('reads home, a cluster, its sections and an open pod', () => {
    expect(parseRoute('')).toEqual({ kind: 'home' });
    expect(parseRoute('#/elsewhere')).toEqual({ kind: 'home' });
    expect(parseRoute('#/clusters/')).toEqual({ kind: 'home' });
    expect(parseRoute('#/clusters/c1')).toEqual({ kind: 'cluster', clusterId: 'c1' });
    expect(parseRoute('#/clusters/c1/overview')).toEqual({
      kind: 'cluster',
      clusterId: 'c1',
      section: 'overview',
    });
    expect(parseRoute('#/clusters/c1/pods/shop/web-1')).toEqual({
      kind: 'cluster',
      clusterId: 'c1',
      section: 'pods',
      pod: { namespace: 'shop', name: 'web-1' },
    });
  });

  it('drops an unknown section and a half pod reference', () => {
    expect(parseRoute('#/clusters/c1/billing')).toEqual({ kind: 'cluster', clusterId: 'c1' });
    expect(parseRoute('#/clusters/c1/pods/shop')).toEqual({
      kind: 'cluster',
      clusterId: 'c1',
      section: 'pods',
    });
    expect(parseRoute('#/clusters/c1/machines/a/b')).toEqual({
      kind: 'cluster',
      clusterId: 'c1',
      section: 'machines',
    });
  });

  it('survives a malformed escape', () => {
    expect(parseRoute('#/clusters/%E0%A4%A/overview')).toEqual({
      kind: 'cluster',
      clusterId: '%E0%A4%A',
      section: 'overview',
    });
  });
});

describe('routeHash', () => {
  it('round-trips every route, escaping ids and names', () => {
    const routes: Route[] = [
      { kind: 'home' },
      { kind: 'cluster', clusterId: 'a/b c' },
      { kind: 'cluster', clusterId: 'c1', section: 'machines' },
      { kind: 'cluster', clusterId: 'c1', section: 'pods', pod: { namespace: 'n s', name: 'p/1' } },
      { kind: 'cluster', clusterId: 'c1', section: 'workloads' },
      {
        kind: 'cluster',
        clusterId: 'c1',
        section: 'workloads',
        workload: { kind: 'StatefulSet', namespace: 'data', name: 'db/0' },
      },
    ];
    for (const r of routes) expect(parseRoute(routeHash(r))).toEqual(r);
    expect(routeHash({ kind: 'cluster', clusterId: 'c1', section: 'pods' })).toBe(
      '#/clusters/c1/pods',
    );
    expect(
      routeHash({
        kind: 'cluster',
        clusterId: 'c1',
        section: 'workloads',
        workload: { kind: 'Deployment', namespace: 'ml', name: 'trainer' },
      }),
    ).toBe('#/clusters/c1/workloads/Deployment/ml/trainer');
    // An unknown kind opens the list, not a details pane.
    expect(parseRoute('#/clusters/c1/workloads/ReplicaSet/ml/x')).toEqual({
      kind: 'cluster',
      clusterId: 'c1',
      section: 'workloads',
    });
  });
});
