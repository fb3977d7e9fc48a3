/**
 * Price settings per cluster (issue 15 "Bill"): entered directly, or derived from what the
 * machines cost (cluster-runtime's derivePrices over the cluster's nodes' allocatable). Input is
 * decimal text, parsed exactly into integers (no float ever touches money): prices per hour into
 * nano-units (up to 9 decimals, so a per-second quote × 3600 is still exact), the monthly cost
 * into micro-units. A bad field is an {@link InputError} naming it, and nothing is saved.
 *
 * Until the user saves prices the defaults apply: Fargate's list prices ($0.04048 per vCPU-hour,
 * $0.004445 per GB-hour, us-east-1) so a first bill reads like one people know, with no minimum
 * (ECI's rule): a 10-second Job is billed 10 seconds.
 *
 * @see https://aws.amazon.com/fargate/pricing/
 * @see ../../../cluster-runtime/src/metering/derive-prices.ts
 */
import {
  derivePrices,
  PriceError,
  resourceAmount,
  type PoolNode,
  type Prices,
} from '@nodeless/cluster-runtime';
import { parseMicros } from '@nodeless/common';
import { InputError } from '../inventory/errors.ts';
import type { UsagePricesRow } from '../store/usage-prices.ts';
import type { PriceSettings, PriceSettingsInput } from './contract.ts';

export const DEFAULT_PRICES: Prices = {
  currency: 'USD',
  nanosPerVcpuHour: 40_480_000,
  nanosPerGibHour: 4_445_000,
  minimumSeconds: 0,
  overhead: 'excluded',
};

/** Longest minimum billed duration accepted (Fargate's is 60 s; an hour is plenty). */
export const MAX_MINIMUM_SECONDS = 3600;

/** Prices of a stored row, or the defaults. */
export function pricesOf(row: UsagePricesRow | undefined): Prices {
  if (!row) return DEFAULT_PRICES;
  return {
    currency: row.currency,
    nanosPerVcpuHour: row.nanos_per_vcpu_hour,
    nanosPerGibHour: row.nanos_per_gib_hour,
    minimumSeconds: row.minimum_seconds,
    overhead: 'excluded',
  };
}

/** The contract's view of a stored row (or of the defaults). */
export function settingsOf(row: UsagePricesRow | undefined): PriceSettings {
  const p = pricesOf(row);
  const base: PriceSettings = {
    mode: row?.mode ?? 'entered',
    currency: p.currency,
    minimumSeconds: p.minimumSeconds,
    nanosPerVcpuHour: p.nanosPerVcpuHour,
    nanosPerGibHour: p.nanosPerGibHour,
    defaults: row === undefined,
  };
  if (row?.mode !== 'derived') return base;
  return {
    ...base,
    derived: {
      monthlyCostPerMachine: row.monthly_cost_per_machine ?? '',
      targetUtilisationPercent: row.target_utilisation_percent ?? 0,
      machines: row.machines ?? 0,
      pool: { cpuMilli: row.pool_cpu_milli ?? 0, memoryBytes: row.pool_memory_bytes ?? 0 },
    },
  };
}

/** `0.04048` per hour → 40,480,000 nano-units per hour; undefined when not such a decimal. */
export function parseNanos(text: string): number | undefined {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!m) return undefined;
  const value = BigInt(m[1] ?? '0') * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

function common(input: PriceSettingsInput) {
  const errors: Record<string, string> = {};
  const currency = input.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) errors['currency'] = 'must be a 3-letter code like USD';
  const min = input.minimumSeconds;
  if (!Number.isSafeInteger(min) || min < 0 || min > MAX_MINIMUM_SECONDS) {
    errors['minimumSeconds'] = `must be a whole number of seconds from 0 to ${MAX_MINIMUM_SECONDS}`;
  }
  return { errors, currency };
}

/**
 * The row to store for `input`; `machines` are the cluster's nodes (derived mode only).
 *
 * @throws InputError naming every bad field (nothing is to be saved then).
 */
export function pricesRow(
  input: PriceSettingsInput,
  machines: readonly Pick<PoolNode, 'allocatable'>[],
  now: Date,
): UsagePricesRow {
  const { errors, currency } = common(input);
  const base = {
    cluster_id: input.clusterId,
    currency,
    minimum_seconds: input.minimumSeconds,
    updated_at: now.toISOString(),
  };
  if (input.mode === 'entered') {
    const cpu = parseNanos(input.perVcpuHour);
    const gib = parseNanos(input.perGibHour);
    const decimal = 'must be a price like 0.04048 (at most 9 decimals, not negative)';
    if (cpu === undefined) errors['perVcpuHour'] = decimal;
    if (gib === undefined) errors['perGibHour'] = decimal;
    if (Object.keys(errors).length > 0) throw new InputError(errors);
    return {
      ...base,
      mode: 'entered',
      nanos_per_vcpu_hour: cpu as number,
      nanos_per_gib_hour: gib as number,
      monthly_cost_per_machine: null,
      target_utilisation_percent: null,
      machines: null,
      pool_cpu_milli: null,
      pool_memory_bytes: null,
    };
  }
  const monthly = parseMicros(input.monthlyCostPerMachine);
  if (monthly === undefined || monthly <= 0) {
    errors['monthlyCostPerMachine'] = 'must be an amount above 0 like 120.00 (at most 6 decimals)';
  }
  const target = input.targetUtilisationPercent;
  if (!Number.isSafeInteger(target) || target < 1 || target > 100) {
    errors['targetUtilisationPercent'] = 'must be a whole percentage from 1 to 100';
  }
  if (machines.length === 0) {
    errors['mode'] = 'the cluster has no machines to derive prices from; enter prices instead';
  }
  if (Object.keys(errors).length > 0) throw new InputError(errors);
  const allocatable = machines.map((m) => resourceAmount(m.allocatable));
  let prices: Prices;
  try {
    prices = derivePrices({
      currency,
      machines: allocatable.map((a) => ({ monthlyMicros: monthly as number, allocatable: a })),
      targetUtilisationPpm: target * 10_000,
      minimumSeconds: input.minimumSeconds,
    });
  } catch (error) {
    if (error instanceof PriceError) {
      throw new InputError({ mode: `cannot derive prices: ${error.message}` });
    }
    throw error;
  }
  return {
    ...base,
    mode: 'derived',
    nanos_per_vcpu_hour: prices.nanosPerVcpuHour,
    nanos_per_gib_hour: prices.nanosPerGibHour,
    monthly_cost_per_machine: input.monthlyCostPerMachine.trim(),
    target_utilisation_percent: target,
    machines: machines.length,
    pool_cpu_milli: allocatable.reduce((s, a) => s + a.cpuMilli, 0),
    pool_memory_bytes: allocatable.reduce((s, a) => s + a.memoryBytes, 0),
  };
}
