/**
 * Data access for `usage_capacity`: the pool's capacity (allocatable of the Ready, schedulable
 * machines) per UTC hour, sampled while the backend runs with the cluster open. Each sample adds
 * to the hour's sums, so the hour's capacity is the mean of its samples (a machine added
 * mid-hour counts for the part of the hour it was there, at the sampling's resolution). Hours
 * without a sample have no known capacity: idle leaves them out and says how many. The meter's
 * hours (sampled in the cluster while it leads, the same definition) are merged in at sync
 * ({@link UsageCapacityTable.merge}, ../usage/capacity-import.ts).
 */
import type Database from 'better-sqlite3';

export interface UsageCapacityRow {
  hour: number;
  cpu_milli: number;
  memory_bytes: number;
}

/** An hour's sums as sampled elsewhere (the meter's capacity ConfigMap). */
export interface UsageCapacityHour {
  hour: number;
  samples: number;
  cpuMilliSum: number;
  memoryBytesSum: number;
}

export interface UsageCapacityTable {
  /** Adds one sample to `hour` (UTC hour index since the epoch). */
  sample(clusterId: string, hour: number, cpuMilli: number, memoryBytes: number): void;
  /**
   * Puts each hour's sums where the cluster has none, or where it has fewer samples than
   * `hours` brings (the one with more samples saw more of the hour; see capacity-import.ts).
   * Returns how many hours changed.
   */
  merge(clusterId: string, hours: readonly UsageCapacityHour[]): number;
  /** Mean capacity of each sampled hour in [fromHour, toHour). */
  range(clusterId: string, fromHour: number, toHour: number): UsageCapacityRow[];
}

export function usageCapacityTable(db: Database.Database): UsageCapacityTable {
  const sample = db.prepare<[string, number, number, number]>(
    `INSERT INTO usage_capacity (cluster_id, hour, samples, cpu_milli_sum, memory_bytes_sum)
     VALUES (?, ?, 1, ?, ?)
     ON CONFLICT (cluster_id, hour) DO UPDATE SET samples = samples + 1,
       cpu_milli_sum = cpu_milli_sum + excluded.cpu_milli_sum,
       memory_bytes_sum = memory_bytes_sum + excluded.memory_bytes_sum`,
  );
  const range = db.prepare<[string, number, number], UsageCapacityRow>(
    `SELECT hour, cpu_milli_sum / samples AS cpu_milli, memory_bytes_sum / samples AS memory_bytes
     FROM usage_capacity WHERE cluster_id = ? AND hour >= ? AND hour < ? ORDER BY hour`,
  );
  // Replace, never add: both sources sampled the same hour's pool, so adding would count the
  // time both were sampling twice (the mean stays right, but the merge would not be idempotent).
  const merge = db.prepare<[string, number, number, number, number]>(
    `INSERT INTO usage_capacity (cluster_id, hour, samples, cpu_milli_sum, memory_bytes_sum)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (cluster_id, hour) DO UPDATE SET samples = excluded.samples,
       cpu_milli_sum = excluded.cpu_milli_sum, memory_bytes_sum = excluded.memory_bytes_sum
     WHERE excluded.samples > usage_capacity.samples`,
  );
  const mergeAll = db.transaction((clusterId: string, hours: readonly UsageCapacityHour[]) => {
    let changed = 0;
    for (const h of hours)
      changed += merge.run(clusterId, h.hour, h.samples, h.cpuMilliSum, h.memoryBytesSum).changes;
    return changed;
  });
  return {
    merge: (clusterId, hours) => mergeAll(clusterId, hours),
    sample: (clusterId, hour, cpu, memory) => void sample.run(clusterId, hour, cpu, memory),
    range: (clusterId, fromHour, toHour) => range.all(clusterId, fromHour, toHour),
  };
}
