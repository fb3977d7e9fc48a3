/** The demo's week of history: the ledger a meter would have written, deterministic. */
import { describe, expect, it } from 'vitest';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { chunkFromConfigMap, DEFAULT_LEDGER_LIMITS, LEDGER_LABEL } from '@nodeless/cluster-runtime';
import { demoHistory, historyObjects, HISTORY_DAYS } from './history.ts';

const NOW = 1_795_000_000 + 1234; // mid-hour
const SEED = 20_250_101;

describe('demoHistory', () => {
  const h = demoHistory(NOW, SEED);

  it('is the same ledger for the same seed and hour, another for another seed', () => {
    const again = demoHistory(NOW + 60, SEED);
    expect(JSON.stringify(again.chunks)).toBe(JSON.stringify(h.chunks));
    expect(JSON.stringify(demoHistory(NOW, SEED + 1).chunks)).not.toBe(JSON.stringify(h.chunks));
  });

  it('covers the week before the hour, every pod ended by then, each billed second once', () => {
    expect(h.watermark).toBe(Math.floor(NOW / 3600) * 3600);
    const from = h.watermark - HISTORY_DAYS * 86_400;
    const byPod = new Map<string, { seconds: number; start: number; end?: number }>();
    for (const r of h.records) {
      expect(r.from).toBeGreaterThanOrEqual(from);
      expect(r.to).toBeLessThanOrEqual(h.watermark);
      expect(Math.floor(r.from / 3600)).toBe(r.segment);
      const p = byPod.get(r.uid) ?? { seconds: 0, start: r.podStart };
      p.seconds += r.to - r.from;
      if (r.final) p.end = r.to;
      byPod.set(r.uid, p);
    }
    expect(byPod.size).toBe(h.pods);
    for (const p of byPod.values()) {
      expect(p.end).toBeDefined(); // nothing left running in the past
      expect(p.seconds).toBe((p.end ?? 0) - p.start);
    }
  });

  it('reads as a meter wrote it: owners resolved, sizes from the label, missing usage kept', () => {
    const owners = new Set(
      h.records.map((r) => `${r.namespace}/${r.owner?.kind}/${r.owner?.name}`),
    );
    expect(owners).toContain('shop/Deployment/web');
    expect(owners).toContain('shop/CronJob/nightly-report');
    expect(owners).toContain('shop/StatefulSet/redis');
    expect(owners).toContain('data/Job/backfill-2025-q1');
    expect(owners).toContain('data/undefined/undefined'); // the bare debug pod
    expect(h.records.every((r) => r.specSource === 'label' && r.runtimeClass === 'kata-clh')).toBe(
      true,
    );
    const missing = h.records.filter((r) => r.usage.state === 'missing');
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.length).toBeLessThan(h.records.length / 10);
  });

  it('stores bounded chunks the desktop parses back to the same records', () => {
    const objects = historyObjects(h) as V1ConfigMap[];
    const chunks = objects.filter((o) => o.metadata?.labels?.[LEDGER_LABEL] === 'records');
    expect(chunks.length).toBe(h.chunks.length);
    const parsed = chunks.map((cm) => chunkFromConfigMap(cm));
    expect(parsed.flatMap((c) => c.records)).toEqual(h.records);
    for (const c of h.chunks) {
      expect(c.records.length).toBeLessThanOrEqual(DEFAULT_LEDGER_LIMITS.maxRecords);
      expect(c.bytes).toBeLessThanOrEqual(DEFAULT_LEDGER_LIMITS.maxBytes);
    }
    expect(h.chunks.slice(0, -1).every((c) => c.sealed)).toBe(true);
    const state = objects.find((o) => o.metadata?.name === 'nodeless-meter-state');
    expect(state?.data?.watermark).toBe(String(h.watermark));
  });
});
