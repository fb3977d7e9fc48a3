/**
 * The Usage section's API contract (issue 15): what the `usage.*` procedures take and return.
 * The renderer imports these types (type-only) through `@nodeless/backend/api`; the backend's
 * ledger sync, SQLite store and bill queries produce them; the CLI prints the same rows.
 *
 * Money is integer micro-units of `currency` (1,000,000 = one unit), quantities are integers
 * (millicores, bytes, seconds). Times cross the API as RFC 3339 UTC strings; ranges are
 * half-open `[from, to)`. Usage that was not measured is `{state: 'missing'}`, never 0.
 *
 * @see ../../../../shared/DESIGN.md §5 "Metering"
 * @see ../../../cluster-runtime/src/metering/index.ts — the billing math these rows come from
 */
import type { Efficiency } from '@nodeless/cluster-runtime';

/** How a table or a chart groups the bill. */
export type UsageGroupBy = 'namespace' | 'workload' | 'pod';

export interface UsageRangeInput {
  clusterId: string;
  /** RFC 3339, inclusive. */
  from: string;
  /** RFC 3339, exclusive. */
  to: string;
}

export interface UsageTableInput extends UsageRangeInput {
  by: UsageGroupBy;
  /** Drill-down: only this namespace. */
  namespace?: string;
  /** Drill-down within `namespace`: only this workload, `Kind/name`; `''` = the bare pods. */
  workload?: string;
}

/**
 * Usage ÷ spec over the seconds that were measured (parts per million, may exceed 10^6): the
 * shape of cluster-runtime's efficiency, so the rows carry what the billing math computes.
 */
export type UsageEfficiency = Efficiency;

export interface UsageSpec {
  cpuMilli: number;
  memoryBytes: number;
}

/** One row of the bill: a namespace, a workload or a pod. */
export interface UsageRow {
  /** Stable identity: the namespace, `namespace/Kind/name` (`namespace/` for bare pods), or the uid. */
  key: string;
  namespace: string;
  /** Workload and pod rows: the owner (absent for bare pods). */
  workload?: { kind: string; name: string };
  /** Pod rows only. */
  pod?: {
    name: string;
    uid: string;
    /** RFC 3339: when the sandbox came up. */
    start: string;
    /** RFC 3339; absent while the pod runs. */
    end?: string;
    spec: UsageSpec;
    runtimeClass?: string;
  };
  /** Pods that contributed (1 for a pod row). */
  pods: number;
  /** Seconds billed, the minimum's top-ups included. */
  seconds: number;
  /** Σ spec × seconds billed: millicore-seconds and byte-seconds ÷ 1024 (KiB-seconds). */
  specCpuMilliSeconds: number;
  specMemoryKiBSeconds: number;
  costMicros: number;
  efficiency: UsageEfficiency;
}

export interface UsageTable {
  currency: string;
  rows: UsageRow[];
  total: { pods: number; seconds: number; costMicros: number; efficiency: UsageEfficiency };
}

export interface UsageSeriesInput extends UsageRangeInput {
  by: 'namespace' | 'workload';
  bucket: 'hour' | 'day';
}

/** Cost over time, one series per namespace or workload (for a stacked chart). */
export interface UsageSeries {
  currency: string;
  /** Bucket starts, epoch seconds (UTC hours or days), ascending, covering the range. */
  buckets: number[];
  /** One per group, largest total first; `costMicros[i]` belongs to `buckets[i]`. */
  series: { key: string; label: string; costMicros: number[] }[];
}

export interface IdleAmounts {
  cpuMilliSeconds: number;
  memoryKiBSeconds: number;
}

/** Idle = pool capacity − billed specs, per UTC hour. */
export interface UsageIdle {
  currency: string;
  hours: {
    /** Epoch seconds of the hour's start. */
    hour: number;
    capacity: IdleAmounts;
    billed: IdleAmounts;
    /**
     * The sandboxes' own overhead (RuntimeClass overhead): neither billed nor idle, so the hour
     * adds up: capacity = billed + overhead + idle (idle clamped at 0 when overcommitted).
     */
    overhead: IdleAmounts;
    idle: IdleAmounts;
    /** What the idle capacity would have been billed. */
    idleMicros: number;
    overcommitted: boolean;
  }[];
  total: {
    capacity: IdleAmounts;
    billed: IdleAmounts;
    overhead: IdleAmounts;
    idle: IdleAmounts;
    idleMicros: number;
  };
  /**
   * Hours of the range (up to now) without a known pool capacity, left out of `hours` and
   * `total`: the pool is sampled from the cluster's nodes only while the backend runs with the
   * cluster open, so hours before the first sample (and while the app was closed) have none.
   */
  hoursWithoutCapacity: number;
}

/** The bill of one pod, for its details pane. */
export interface UsagePodBill {
  uid: string;
  namespace: string;
  name: string;
  spec: UsageSpec;
  seconds: number;
  costMicros: number;
  currency: string;
  /** `billed 0.5 vCPU / 1 GiB for 3 h 12 min 5 s = 0.420000` */
  line: string;
  running: boolean;
  efficiency: UsageEfficiency;
}

/** Prices as the user sets them: decimal strings in the currency's units (exact, no floats). */
export type PriceSettingsInput =
  | {
      clusterId: string;
      mode: 'entered';
      currency: string;
      minimumSeconds: number;
      /** e.g. `0.04048` per vCPU-hour. */
      perVcpuHour: string;
      /** e.g. `0.004445` per GiB-hour. */
      perGibHour: string;
    }
  | {
      clusterId: string;
      mode: 'derived';
      currency: string;
      minimumSeconds: number;
      /** What one machine costs per month, e.g. `120.00`. */
      monthlyCostPerMachine: string;
      /** Share of the pool expected to be billed, 1–100. */
      targetUtilisationPercent: number;
    };

export interface PriceSettings {
  mode: 'entered' | 'derived';
  currency: string;
  minimumSeconds: number;
  /** The prices in effect (derived ones computed from the pool), nano-units per hour. */
  nanosPerVcpuHour: number;
  nanosPerGibHour: number;
  /** Derived mode: the inputs and the pool they were computed over. */
  derived?: {
    monthlyCostPerMachine: string;
    targetUtilisationPercent: number;
    machines: number;
    pool: UsageSpec;
  };
  /** True until the user saves prices: these are the defaults. */
  defaults: boolean;
}

/** Where the ledger and the meter stand, for the section's header. */
export interface UsageStatus {
  meter:
    | { state: 'running'; holder: string; renewedAt: string }
    | { state: 'stale'; holder?: string; renewedAt?: string }
    | { state: 'absent' };
  /** Can the user install the meter from the UI (clusters imported by kubeconfig). */
  installable: boolean;
  lastSync?: { at: string; records: number; cursor: string };
  /** The last sync's failure, in words; cleared by a good sync. */
  syncError?: string;
  /** Oldest and newest hour the desktop holds, RFC 3339. */
  history?: { from: string; to: string };
  prices: PriceSettings;
}

export interface UsageSyncResult {
  /** Records read from the ledger (new and already held). */
  read: number;
  /** Records that were new to the desktop. */
  added: number;
  cursor: string;
}

/** CSV of a table (the CLI's exact format for `by: 'pod'`), for a download. */
export interface UsageCsv {
  filename: string;
  text: string;
}
