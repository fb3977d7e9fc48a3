/**
 * The cluster's serverless capacity as a compact table: one row per vCPU size, two columns
 * for the usual memory ratios (2 and 4 GiB per vCPU), so ~115 spec sizes read at a glance.
 * The full list stays available (and is what the CSV export contains).
 *
 * @see ../../../shared/DESIGN.md §5 — the pod spec table (vCPU × memory GiB).
 */
import type { ClusterCheckView } from '@nodeless/backend/api';
import { toCsv } from './csv.ts';

/** One spec size and how many such pods fit (from the report). */
export type PodSpecFit = ClusterCheckView['capacity']['podsBySpec'][number];

/** Memory per vCPU of the two summary columns. */
export const SUMMARY_RATIOS = [2, 4] as const;

/** One vCPU size of the compact table. */
export interface PodsSummaryRow {
  vcpu: number;
  /** One entry per {@link SUMMARY_RATIOS}: the spec nearest that ratio, if the size has any. */
  cells: (PodSpecFit | undefined)[];
}

/** Groups specs by vCPU and picks, per ratio, the spec whose memory is nearest `ratio × vCPU`. */
export function podsSummary(specs: readonly PodSpecFit[]): PodsSummaryRow[] {
  const byCpu = new Map<number, PodSpecFit[]>();
  for (const s of specs) {
    const list = byCpu.get(s.vcpu);
    if (list) list.push(s);
    else byCpu.set(s.vcpu, [s]);
  }
  return [...byCpu.entries()]
    .sort(([a], [b]) => a - b)
    .map(([vcpu, list]) => ({
      vcpu,
      cells: SUMMARY_RATIOS.map((ratio) => {
        const target = ratio * vcpu;
        let best: PodSpecFit | undefined;
        for (const s of list) {
          if (!best || Math.abs(s.memoryGiB - target) < Math.abs(best.memoryGiB - target)) best = s;
        }
        return best;
      }),
    }));
}

/** "0.25", "1", "16": numbers as people write sizes. */
export function formatSize(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(2)));
}

/** Every spec size, for the CSV export. */
export function podsCsv(specs: readonly PodSpecFit[]): string {
  return toCsv(
    ['size', 'vcpu', 'memory_gib', 'pods_that_fit'],
    [...specs]
      .sort((a, b) => a.vcpu - b.vcpu || a.memoryGiB - b.memoryGiB)
      .map((s) => [s.label, s.vcpu, s.memoryGiB, s.pods]),
  );
}
