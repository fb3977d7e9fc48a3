import { describe, expect, it } from 'vitest';
import { ResourceRegistry } from '../registry/registry.ts';
import { aggregated, resourceList, wantsAggregated } from './discovery.ts';

describe('discovery', () => {
  it('recognises the Accept header kubectl sends for aggregated discovery', () => {
    expect(
      wantsAggregated(
        'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
      ),
    ).toBe(true);
    expect(wantsAggregated('application/json, */*')).toBe(false);
  });

  it('describes resources, subresources and CRD-registered kinds', () => {
    const registry = new ResourceRegistry();
    const core = aggregated(registry, true) as {
      items: Array<{
        versions: Array<{
          resources: Array<{
            resource: string;
            subresources?: Array<{ subresource: string; responseKind: { kind: string } }>;
          }>;
        }>;
      }>;
    };
    const pods = core.items[0]?.versions[0]?.resources.find((r) => r.resource === 'pods');
    expect(pods?.subresources?.map((s) => `${s.subresource}:${s.responseKind.kind}`)).toEqual([
      'status:Pod',
      'log:Pod',
      'binding:Binding',
      'eviction:Eviction',
    ]);
    registry.registerCrd({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Cluster',
        names: { plural: 'widgets', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} } }],
      },
    });
    const list = resourceList(registry, 'example.com', 'v1') as {
      resources: Array<{ name: string; namespaced: boolean }>;
    };
    expect(list.resources.map((r) => `${r.name}:${String(r.namespaced)}`)).toEqual([
      'widgets:false',
      'widgets/status:false',
    ]);
    registry.unregisterCrd('widgets.example.com');
    expect(resourceList(registry, 'example.com', 'v1')).toBeUndefined();
  });
});
