/**
 * Efficiency of a row from its SQL sums: Σ usage ÷ Σ (spec × covered seconds), in parts per
 * million, over the records that have usage — cluster-runtime's `efficiency` rule (one half-up
 * rounding; missing when nothing was measured, never 0), fed sums instead of items so a
 * namespace of a million records is one row of the query, not a million objects.
 *
 * @see ../../../cluster-runtime/src/metering/usage.ts — efficiency()
 */
import { roundHalfUp } from '@nodeless/cluster-runtime';
import type { UsageEfficiencySums } from '../store/usage-records.ts';
import type { UsageEfficiency } from './contract.ts';

export function addSums(a: UsageEfficiencySums, b: UsageEfficiencySums): UsageEfficiencySums {
  return {
    usage_cpu_milli_s: a.usage_cpu_milli_s + b.usage_cpu_milli_s,
    usage_memory_kib_s: a.usage_memory_kib_s + b.usage_memory_kib_s,
    usage_covered_s: a.usage_covered_s + b.usage_covered_s,
    covered_cpu_milli_s: a.covered_cpu_milli_s + b.covered_cpu_milli_s,
    covered_memory_kib_s: a.covered_memory_kib_s + b.covered_memory_kib_s,
    missing: a.missing + b.missing,
  };
}

const ppm = (used: number, billed: number): number =>
  billed === 0 ? 0 : Number(roundHalfUp(BigInt(used) * 1_000_000n, BigInt(billed)));

export function efficiencyOf(s: UsageEfficiencySums): UsageEfficiency {
  if (s.usage_covered_s === 0) return { state: 'missing' };
  return {
    state: 'measured',
    cpuPpm: ppm(s.usage_cpu_milli_s, s.covered_cpu_milli_s),
    memoryPpm: ppm(s.usage_memory_kib_s, s.covered_memory_kib_s),
    coveredSeconds: s.usage_covered_s,
    missing: s.missing,
  };
}
