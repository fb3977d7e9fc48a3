import { describe, expect, it } from 'vitest';
import { acceleratedClock } from '../clock.ts';
import { createContext } from './context.ts';
import { R, type Pod } from './model.ts';
import { NodeManager } from './nodes.ts';
import { Scheduler } from './scheduler.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { waitFor } from './testing/harness.ts';

describe('scale', () => {
  it('binds 50,000 pods across 500 nodes', async () => {
    const clock = acceleratedClock(1);
    const store = new MemoryStore({ now: () => clock.now() });
    const errors: unknown[] = [];
    const ctx = createContext({
      store,
      clock,
      seed: 1,
      maxEvents: 5_000,
      onError: (w, e) => errors.push(`${w}: ${String(e)}`),
    });
    const nodes = new NodeManager(ctx, {
      count: 500,
      template: { cpu: '64', memory: '256Gi' },
      leaseRenewMs: 3_600_000,
    });
    nodes.start();
    const scheduler = new Scheduler(ctx);
    const started = performance.now();
    for (let i = 0; i < 50_000; i++) {
      store.create(R.pods, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p-${i}`, namespace: `ns-${i % 20}` },
        spec: {
          containers: [
            { name: 'c', image: 'img', resources: { requests: { cpu: '100m', memory: '128Mi' } } },
          ],
        },
      });
    }
    const created = performance.now();
    await waitFor('all bound', () => scheduler.bindings === 50_000, 110_000);
    const bound = performance.now();
    console.log(
      `scale: created 50,000 pods in ${Math.round(created - started)} ms; all bound ${Math.round(bound - created)} ms later ` +
        `(${Math.round(50_000 / ((bound - started) / 1000))} pods/s end to end, 500 nodes)`,
    );
    const perNode = new Map<string, number>();
    for (const p of store.list(R.pods) as unknown as Pod[])
      perNode.set(p.spec?.nodeName ?? '', (perNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
    expect(perNode.has('')).toBe(false);
    expect(perNode.size).toBe(500);
    // Least-allocated scoring spreads evenly; no node over its 110-pod capacity.
    expect(Math.max(...perNode.values())).toBeLessThanOrEqual(110);
    expect(scheduler.usage('sim-node-1')?.pods).toBe(perNode.get('sim-node-1'));
    ctx.stop();
    nodes.stop();
    expect(errors).toEqual([]);
  }, 120_000);
});
