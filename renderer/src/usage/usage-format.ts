/**
 * The Usage section's numbers as text: money from integer micro-units (common's formatMicros —
 * exact, never through a float), billed time, specs, efficiency ("missing" stays missing: a
 * pod without metrics is not 0 % efficient, and the tooltip says why), and download names.
 *
 * @see ../../../common/src/money.ts
 */
import type {
  IdleAmounts,
  UsageEfficiency,
  UsageIdle,
  UsageRow,
  UsageSpec,
} from '@nodeless/backend/api';
import { describeSize, formatDuration, formatMicros, GIB, rfc3339 } from '@nodeless/common';

/** Money as the screen shows it: two decimals for reading, six in the title and the CSV. */
export function money(micros: number, currency: string, decimals = 2): string {
  return `${formatMicros(micros, decimals)} ${currency}`;
}

/** Billed seconds: `3 h 12 min 5 s` (the integer seconds go into the cell's title). */
export const billedTime = (seconds: number): string => formatDuration(seconds);

/** `12,345 s` for titles and exact columns. */
export const exactSeconds = (seconds: number): string => `${seconds.toLocaleString('en-US')} s`;

/**
 * The spec of a row: the pod's own, or for a group the average held over its billed time
 * (Σ spec × seconds ÷ seconds), e.g. `avg 1.25 vCPU / 2.5 GiB`.
 */
export function specText(row: UsageRow): string {
  if (row.pod) return describeSize(row.pod.spec);
  if (row.seconds === 0) return '—';
  const vcpu = row.specCpuMilliSeconds / row.seconds / 1000;
  const gib = (row.specMemoryKiBSeconds * 1024) / row.seconds / GIB;
  return `avg ${trim(vcpu)} vCPU / ${trim(gib)} GiB`;
}

/** Up to two decimals, trailing zeros dropped (a display ratio, not money). */
function trim(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export const specOf = (s: UsageSpec): string => describeSize(s);

/** Parts per million as a percentage with one decimal (`42.5 %`). */
export function percent(ppm: number): string {
  return `${(Math.round(ppm / 1000) / 10).toFixed(1)} %`;
}

export interface EfficiencyCell {
  text: string;
  /** Why it says what it says (shown as the cell's title). */
  title: string;
  missing: boolean;
}

const MISSING_WHY =
  'Missing: no usage was measured for this time (metrics-server was not answering, or the ' +
  'meter was not sampling). Not 0 %: the pods may have been busy.';

/** One efficiency column (CPU or memory) of a row. */
export function efficiencyCell(e: UsageEfficiency, what: 'cpu' | 'memory'): EfficiencyCell {
  if (e.state === 'missing') return { text: 'missing', title: MISSING_WHY, missing: true };
  const ppm = what === 'cpu' ? e.cpuPpm : e.memoryPpm;
  const over = `Usage ÷ spec over ${formatDuration(e.coveredSeconds)} measured`;
  const left =
    e.missing > 0 ? `; ${e.missing} without usage ${e.missing === 1 ? 'is' : 'are'} left out` : '';
  return { text: percent(ppm), title: `${over}${left}.`, missing: false };
}

/** vCPU-hours and GiB-hours of an idle amount, e.g. `12.5 vCPU·h / 40 GiB·h`. */
export function idleAmounts(a: IdleAmounts): string {
  const vcpuH = a.cpuMilliSeconds / 1000 / 3600;
  const gibH = (a.memoryKiBSeconds * 1024) / GIB / 3600;
  return `${trim(vcpuH)} vCPU·h / ${trim(gibH)} GiB·h`;
}

/** An hour's start as `2026-12-02 14:00` UTC. */
export function hourText(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Integer ÷ 1000 as an exact decimal (millicore-seconds → vCPU-seconds). */
function thousandths(n: number): string {
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  const frac = String(a % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return `${sign}${Math.floor(a / 1000)}${frac ? `.${frac}` : ''}`;
}

/** The header of the idle table's CSV (built here: `usage.csv` covers the bill tables). */
export const IDLE_CSV_HEADER =
  'hour,capacity_vcpu_seconds,capacity_memory_kib_seconds,billed_vcpu_seconds,billed_memory_kib_seconds,overhead_vcpu_seconds,overhead_memory_kib_seconds,idle_vcpu_seconds,idle_memory_kib_seconds,idle_cost,overcommitted';

/** The idle table as CSV: exact integers and six-decimal money, one line per hour. */
export function idleCsv(idle: UsageIdle): string {
  const lines = [IDLE_CSV_HEADER];
  for (const h of idle.hours) {
    lines.push(
      [
        rfc3339(h.hour),
        thousandths(h.capacity.cpuMilliSeconds),
        h.capacity.memoryKiBSeconds,
        thousandths(h.billed.cpuMilliSeconds),
        h.billed.memoryKiBSeconds,
        thousandths(h.overhead.cpuMilliSeconds),
        h.overhead.memoryKiBSeconds,
        thousandths(h.idle.cpuMilliSeconds),
        h.idle.memoryKiBSeconds,
        formatMicros(h.idleMicros),
        h.overcommitted ? 'true' : 'false',
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * A download's file name: the backend's when it gave one (safe characters only), else one made
 * of the cluster, what the table shows and the range — never a path, never empty.
 */
export function downloadName(
  suggested: string | undefined,
  parts: readonly (string | undefined)[],
): string {
  const base =
    suggested?.replace(/\.csv$/i, '') ||
    parts
      .filter((p): p is string => !!p)
      .join('-')
      .replaceAll('..', '_to_');
  const safe = base
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 120);
  return `${safe || 'usage'}.csv`;
}

/**
 * A time axis label in UTC: the day (`12-02`) at midnight or for day buckets, the hour
 * (`14:00`) otherwise — 24-hour and UTC like the table and the CSV, whatever the OS locale.
 */
export function axisLabel(epochSeconds: number, dayBuckets: boolean): string {
  const iso = new Date(epochSeconds * 1000).toISOString();
  return dayBuckets || epochSeconds % 86_400 === 0 ? iso.slice(5, 10) : iso.slice(11, 16);
}

/** An empty bill's words: while the first sync runs, the store may simply not have it yet. */
export const emptyBillText = (syncing: boolean): string =>
  syncing
    ? 'Nothing billed here yet; reading the ledger from the cluster…'
    : 'Nothing was billed in this range.';
