/**
 * Data access for `usage_prices`: the prices a cluster is billed at, as the user set them
 * (entered, or derived from machine cost with the inputs and the pool they were derived over)
 * and the integer prices in effect (nano-units per vCPU-hour and per GiB-hour). No row = the
 * defaults (usage/prices.ts).
 */
import type Database from 'better-sqlite3';

export interface UsagePricesRow {
  cluster_id: string;
  mode: 'entered' | 'derived';
  currency: string;
  minimum_seconds: number;
  nanos_per_vcpu_hour: number;
  nanos_per_gib_hour: number;
  monthly_cost_per_machine: string | null;
  target_utilisation_percent: number | null;
  machines: number | null;
  pool_cpu_milli: number | null;
  pool_memory_bytes: number | null;
  updated_at: string;
}

export interface UsagePricesTable {
  get(clusterId: string): UsagePricesRow | undefined;
  put(row: UsagePricesRow): void;
}

export function usagePricesTable(db: Database.Database): UsagePricesTable {
  const get = db.prepare<[string], UsagePricesRow>(
    'SELECT * FROM usage_prices WHERE cluster_id = ?',
  );
  const put = db.prepare<[UsagePricesRow]>(
    `INSERT OR REPLACE INTO usage_prices
       (cluster_id, mode, currency, minimum_seconds, nanos_per_vcpu_hour, nanos_per_gib_hour,
        monthly_cost_per_machine, target_utilisation_percent, machines, pool_cpu_milli,
        pool_memory_bytes, updated_at)
     VALUES (@cluster_id, @mode, @currency, @minimum_seconds, @nanos_per_vcpu_hour,
             @nanos_per_gib_hour, @monthly_cost_per_machine, @target_utilisation_percent,
             @machines, @pool_cpu_milli, @pool_memory_bytes, @updated_at)`,
  );
  return { get: (clusterId) => get.get(clusterId), put: (row) => void put.run(row) };
}
