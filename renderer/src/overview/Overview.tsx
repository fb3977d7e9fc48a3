/**
 * The Overview section: health (API server reachable and its version, machines Ready), the
 * capacity pool (vCPU and memory: total, taken by pod sizes plus sandbox overhead, free; how
 * many pods of each size still fit), pod counts and warnings. Missing usage metrics are said
 * to be missing, never shown as 0.
 */
import { describeSize, GIB, podSizeByLabel } from '@nodeless/common';
import type { CapacityPool, Overview as OverviewData } from '@nodeless/backend/api';
import { PodsTable } from '../onboarding/PodsTable.tsx';
import type { PodSpecFit } from '../onboarding/pods-table.ts';
import { formatCount, formatCpu, formatMemory } from '../workspace/format.ts';
import { isStale, StatusBanner } from '../workspace/StatusBanner.tsx';
import { useOverview } from '../workspace/use-workspace.ts';
import { AddMachineButton, type MachineTarget } from '../workloads/AddMachineButton.tsx';

export function OverviewSection({
  clusterId,
  clusterName,
  cluster,
}: {
  clusterId: string;
  clusterName: string;
  /** Where "Add a machine" leads when the pool is full (absent: no button). */
  cluster?: MachineTarget;
}) {
  const overview = useOverview(clusterId, (s) => s.overview);
  const streamError = useOverview(clusterId, (s) => s.streamError);
  return (
    <section aria-label="Overview">
      <StatusBanner status={overview?.status} streamError={streamError} />
      {overview && (overview.status.state === 'live' || overview.status.state === 'stale') ? (
        <OverviewBody overview={overview} clusterName={clusterName} cluster={cluster} />
      ) : overview?.status.state === 'failed' ? null : (
        // Before the cluster first answers there is nothing to count: no zeros that look real.
        <p className="muted">Waiting for the cluster&apos;s first answer…</p>
      )}
    </section>
  );
}

function OverviewBody({
  overview,
  clusterName,
  cluster,
}: {
  overview: OverviewData;
  clusterName: string;
  cluster: MachineTarget | undefined;
}) {
  const stale = isStale(overview.status);
  const { machines, pods } = overview;
  return (
    <div className={stale ? 'overview stale' : 'overview'}>
      {stale ? <p className="stale-label">Last known data</p> : null}
      <div className="cards">
        <article className="card" aria-labelledby="health-title">
          <h2 id="health-title">Health</h2>
          <dl className="facts">
            <dt>API server</dt>
            <dd>
              {overview.status.state === 'live' ? (
                <span className="ok-text">Reachable</span>
              ) : (
                <span className="warn-text">Not reachable</span>
              )}
            </dd>
            {overview.version ? (
              <>
                <dt>Version</dt>
                <dd className="mono">{overview.version}</dd>
              </>
            ) : null}
            {/* A narrow card: the term says "machines", the value stays short and on one line. */}
            <dt>Machines ready</dt>
            <dd className={machines.ready < machines.total ? 'warn-text' : undefined}>
              {formatCount(machines.ready)} of {formatCount(machines.total)}
            </dd>
          </dl>
        </article>
        <article className="card" aria-labelledby="pods-count-title">
          <h2 id="pods-count-title">Pods</h2>
          <dl className="facts numeric">
            <dt>Total</dt>
            <dd>{formatCount(pods.total)}</dd>
            <dt>Running</dt>
            <dd>{formatCount(pods.running)}</dd>
            <dt>Pending</dt>
            <dd className={pods.pending > 0 ? 'warn-text' : undefined}>
              {formatCount(pods.pending)}
            </dd>
            <dt>Failed</dt>
            <dd className={pods.failed > 0 ? 'danger-text' : undefined}>
              {formatCount(pods.failed)}
            </dd>
            <dt>Succeeded</dt>
            <dd>{formatCount(pods.succeeded)}</dd>
          </dl>
        </article>
        <article className="card warnings" aria-labelledby="warnings-title">
          <h2 id="warnings-title">Warnings</h2>
          {overview.warnings.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul aria-label="Warnings">
              {overview.warnings.map((w) => (
                <li key={w.kind} className={`warning warning-${w.kind}`}>
                  {w.message}
                  {w.kind === 'pool-full' && cluster ? (
                    <div className="warning-action">
                      <AddMachineButton cluster={cluster} />
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {!overview.metricsAvailable &&
          !overview.warnings.some((w) => w.kind === 'metrics-missing') ? (
            <p className="muted small">Usage metrics are missing (no metrics.k8s.io).</p>
          ) : null}
        </article>
      </div>
      <PoolCard pool={overview.pool} clusterName={clusterName} />
    </div>
  );
}

function PoolCard({ pool, clusterName }: { pool: CapacityPool; clusterName: string }) {
  const specs: PodSpecFit[] = pool.fits.flatMap(({ size, count }) => {
    const s = podSizeByLabel(size);
    return s
      ? [
          {
            vcpu: s.cpuMilli / 1000,
            memoryGiB: s.memoryBytes / GIB,
            pods: count,
            label: describeSize(s),
          },
        ]
      : [];
  });
  return (
    <article className="card pool" aria-labelledby="pool-title">
      <h2 id="pool-title">Capacity pool</h2>
      <p className="muted small">
        What the ready machines offer to pods, what pod sizes plus each sandbox&apos;s overhead
        take, and what is free.
      </p>
      <PoolBar
        label="vCPU"
        total={pool.total.cpuMilli}
        taken={pool.taken.cpuMilli}
        free={pool.free.cpuMilli}
        format={formatCpu}
      />
      <PoolBar
        label="Memory"
        total={pool.total.memoryBytes}
        taken={pool.taken.memoryBytes}
        free={pool.free.memoryBytes}
        format={formatMemory}
      />
      <PodsTable specs={specs} clusterName={clusterName} />
    </article>
  );
}

function PoolBar(props: {
  label: string;
  total: number;
  taken: number;
  free: number;
  format(n: number): string;
}) {
  const { label, total, taken, free, format } = props;
  const share = total > 0 ? Math.min(1, taken / total) : 0;
  const text = `${format(taken)} taken of ${format(total)}, ${format(free)} free`;
  return (
    <div className="pool-row">
      <div className="pool-legend">
        <strong>{label}</strong>
        <span className="muted">{text}</span>
      </div>
      <div
        className="pool-bar"
        role="meter"
        aria-label={`${label} taken`}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={Math.min(taken, total)}
        aria-valuetext={text}
      >
        <span className="pool-taken" style={{ width: `${share * 100}%` }} />
      </div>
    </div>
  );
}
