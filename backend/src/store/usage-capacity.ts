/**
 * Data access for `usage_capacity`: the pool's capacity (allocatable of the Ready, schedulable
 * machines) per UTC hour, sampled while the backend runs with the cluster open. Each sample adds
 * to the hour's sums, so the hour's capacity is the mean of its samples (a machine added
 * mid-hour counts for the part of the hour it was there, at the sampling's resolution). Hours
 * without a sample have no known capacity: idle leaves them out and says how many.
 */
import type Database from 'better-sqlite3';

export interface UsageCapacityRow {
  hour: number;
  cpu_milli: number;
  memory_bytes: number;
}

export interface UsageCapacityTable {
  /** Adds one sample to `hour` (UTC hour index since the epoch). */
  sample(clusterId: string, hour: number, cpuMilli: number, memoryBytes: number): void;
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
  return {
    sample: (clusterId, hour, cpu, memory) => void sample.run(clusterId, hour, cpu, memory),
    range: (clusterId, fromHour, toHour) => range.all(clusterId, fromHour, toHour),
  };
}
