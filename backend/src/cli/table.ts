/**
 * The preflight report as text: one table row per host, then every block and warn with its
 * remedy, then the cluster's verdicts and how many pods of each size fit. No colours, so the
 * output is the same in a terminal, a pipe or a CI log.
 *
 * @see https://github.com/cli-table/cli-table3
 */
import Table from 'cli-table3';
import type { Verdict } from '@nodeless/common';
import type { ClusterCheckView, HostCheckView } from '../onboarding/types.ts';

const GiB = 2 ** 30;
const PLAIN = { head: [], border: [] };

function gib(bytes: number): string {
  return `${(bytes / GiB).toFixed(1)} GiB`;
}

function verdictSummary(h: HostCheckView): string {
  if (h.status === 'needs-trust') return `host key ${h.hostKey?.status ?? 'unknown'}`;
  if (h.failure) return `failed at ${h.failure.step} (${h.failure.kind})`;
  const blocks = h.verdicts.filter((v) => v.level === 'block').length;
  const warns = h.verdicts.filter((v) => v.level === 'warn').length;
  const parts = [blocks ? `${blocks} block` : '', warns ? `${warns} warn` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : `${h.verdicts.length} ok`;
}

function hostName(h: HostCheckView): string {
  return h.port === 22 ? h.address : `${h.address}:${h.port}`;
}

function issueLine(where: string, v: Verdict): string {
  return `  ${v.level.toUpperCase().padEnd(5)} ${where} ${v.rule}: ${v.reason}${v.remedy ? `\n        → ${v.remedy}` : ''}`;
}

/** Renders the report for a terminal or log. */
export function renderReport(report: ClusterCheckView): string {
  const hosts = new Table({
    head: ['host', 'role', 'status', 'sandbox', 'vCPU', 'memory', 'disk free', 'verdicts'],
    style: PLAIN,
  });
  for (const h of report.hosts) {
    hosts.push([
      hostName(h),
      h.role,
      h.status,
      h.sandbox ?? '-',
      h.facts ? String(h.facts.cpus) : '-',
      h.facts ? gib(h.facts.memoryBytes) : '-',
      h.facts ? gib(h.facts.diskFreeBytes) : '-',
      verdictSummary(h),
    ]);
  }
  const out: string[] = [hosts.toString()];

  const issues: string[] = [];
  for (const h of report.hosts) {
    if (h.failure) {
      issues.push(`  FAIL  ${hostName(h)} ${h.failure.step}: ${h.failure.message}`);
      issues.push(`        → ${h.failure.remedy}`);
    }
    for (const v of h.verdicts) if (v.level !== 'ok') issues.push(issueLine(hostName(h), v));
  }
  if (issues.length > 0) out.push('', 'Problems:', ...issues);

  out.push('', 'Cluster:');
  if (report.cluster.verdicts.length === 0) out.push('  (no host could be checked)');
  for (const v of report.cluster.verdicts) {
    out.push(v.level === 'ok' ? `  ok    ${v.rule}: ${v.reason}` : issueLine('cluster', v));
  }

  out.push(
    '',
    `Serverless capacity: ${report.capacity.totalVcpu} vCPU, ${gib(report.capacity.totalMemoryBytes)} for pods`,
  );
  // Only sizes that fit are listed: 49 sizes of zeros would bury the answer.
  const byCpu = new Map<number, string[]>();
  for (const p of report.capacity.podsBySpec) {
    if (p.pods <= 0) continue;
    const row = byCpu.get(p.vcpu) ?? [];
    row.push(`${p.memoryGiB} GiB × ${p.pods}`);
    byCpu.set(p.vcpu, row);
  }
  if (byCpu.size === 0) out.push('  No pod of any size fits yet.');
  else {
    const pods = new Table({
      head: ['pod vCPU', 'memory size × pods that fit at once'],
      style: PLAIN,
      colWidths: [10, 72],
      wordWrap: true,
    });
    for (const [vcpu, cells] of byCpu) pods.push([String(vcpu), cells.join(', ')]);
    out.push(pods.toString());
  }
  out.push(
    '',
    report.blocking
      ? 'Result: NOT READY — fix the problems above and run the check again.'
      : 'Result: ready to install.',
  );
  return `${out.join('\n')}\n`;
}
