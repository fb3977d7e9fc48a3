/**
 * The "Add machines" flow under a cluster's host list: Test connection (the live step × host
 * grid), host-key consent for machines seen for the first time (or with a changed key), and
 * the capacity map of the latest report. Everything shown comes from the cluster's event
 * stream, so a reload or a second window shows the same.
 */
import { useMemo, useState } from 'react';
import type { ClusterView } from '@nodeless/backend/api';
import { useOnboardingApi } from '../ui/app-context.tsx';
import { useAction } from '../ui/use-action.ts';
import { endpoint } from '../ui/HostTable.tsx';
import { CapacityMap } from './CapacityMap.tsx';
import { CheckGrid, type HostLabel } from './CheckGrid.tsx';
import type { HostCheckView, HostKeyView } from '@nodeless/backend/api';
import { TrustDialog } from './TrustDialog.tsx';
import { useClusterOnboarding, useOnboardingStream, useStreamError } from './use-onboarding.ts';

type NeedsTrust = HostCheckView & { hostKey: HostKeyView };

/** A decision is about one key of one host: a different key later asks again. */
const decisionKey = (h: NeedsTrust) => `${h.hostId} ${h.hostKey.fingerprint}`;

/** The connection test, consent and capacity map of one cluster (see the file comment). */
export function AddMachines({
  cluster,
  onInstall,
}: {
  cluster: ClusterView;
  /** Opens the install panel (issue 6); absent when the cluster is installed. */
  onInstall?: (() => void) | undefined;
}) {
  useOnboardingStream(cluster.id);
  const { run, report } = useClusterOnboarding(cluster.id);
  const streamError = useStreamError(cluster.id);
  const api = useOnboardingApi();
  const start = useAction();
  const trust = useAction();
  /** Checks started from this window: only these open the consent dialog by themselves. */
  const [mine, setMine] = useState<ReadonlySet<string>>(new Set());
  const [decided, setDecided] = useState<ReadonlyMap<string, 'accepted' | 'rejected'>>(new Map());
  const [reviewing, setReviewing] = useState<string | null>(null);

  const labels = useMemo(
    () =>
      new Map<string, HostLabel>(
        cluster.hosts.map((h) => [h.id, { address: h.address, port: h.port, role: h.role }]),
      ),
    [cluster.hosts],
  );
  const running = run?.running === true;
  const settled = report && run && !running && run.checkId === report.checkId ? report : null;
  const needsTrust: NeedsTrust[] = (settled?.hosts ?? []).filter(
    (h): h is NeedsTrust => h.status === 'needs-trust' && h.hostKey !== undefined,
  );
  const undecided = needsTrust.filter((h) => !decided.has(decisionKey(h)));
  const rejected = new Set(
    needsTrust.filter((h) => decided.get(decisionKey(h)) === 'rejected').map((h) => h.hostId),
  );
  const shown =
    needsTrust.find((h) => h.hostId === reviewing) ??
    (settled && mine.has(settled.checkId) ? undecided[0] : undefined);

  async function startCheck() {
    const outcome = await start.run(() => api.check({ clusterId: cluster.id }));
    if (outcome.ok) setMine((m) => new Set(m).add(outcome.value.checkId));
  }

  /** After the last pending decision, test again if any key was accepted. */
  function decide(host: NeedsTrust, decision: 'accepted' | 'rejected') {
    const next = new Map(decided).set(decisionKey(host), decision);
    setDecided(next);
    setReviewing(null);
    trust.clear();
    const left = needsTrust.filter((h) => !next.has(decisionKey(h)));
    const anyAccepted = needsTrust.some((h) => next.get(decisionKey(h)) === 'accepted');
    // The whole cluster is tested again (not only the accepted hosts): the report replaces
    // the previous one, and the capacity map must cover every machine.
    if (left.length === 0 && anyAccepted) void startCheck();
  }

  async function accept(host: NeedsTrust, replace: boolean) {
    const outcome = await trust.run(() =>
      api.trustHostKey({
        hostId: host.hostId,
        fingerprint: host.hostKey.fingerprint,
        ...(replace ? { replace } : {}),
      }),
    );
    if (outcome.ok) decide(host, 'accepted');
  }

  const noHosts = cluster.hosts.length === 0;
  return (
    <section className="add-machines" aria-labelledby="test-title">
      <header className="section-header">
        <div>
          <h2 id="test-title">Test connection</h2>
          <p className="muted small">
            Nodeless signs in to every machine over SSH, checks root access, reads its facts and
            judges whether it can run sandboxed pods. Nothing is installed or changed.
          </p>
        </div>
        <button
          type="button"
          className="primary"
          disabled={noHosts || running || start.pending}
          onClick={() => void startCheck()}
        >
          {running || start.pending ? 'Testing…' : 'Test connection'}
        </button>
      </header>
      {noHosts ? <p className="muted">Add at least one host to test it.</p> : null}
      {start.problem ? (
        <p className="form-error" role="alert">
          {start.problem.message}
        </p>
      ) : null}
      {streamError ? (
        <p className="form-error" role="alert">
          Live progress is unavailable: {streamError}
        </p>
      ) : null}
      {run && run.rows.size > 0 ? (
        <CheckGrid
          run={run}
          report={report}
          labels={labels}
          rejected={rejected}
          onReviewKey={setReviewing}
        />
      ) : null}
      {report ? (
        <CapacityMap
          report={report}
          clusterName={cluster.name}
          stale={running}
          rejected={rejected}
          onReviewKey={setReviewing}
          onInstall={onInstall}
        />
      ) : null}
      {shown ? (
        <TrustDialog
          key={decisionKey(shown)}
          host={shown}
          name={endpoint(labels.get(shown.hostId) ?? shown)}
          position={
            undecided.length > 1 && reviewing === null
              ? `${needsTrust.length - undecided.length + 1} of ${needsTrust.length}`
              : undefined
          }
          pending={trust.pending}
          error={trust.problem?.message ?? null}
          onAccept={(replace) => void accept(shown, replace)}
          onReject={() => decide(shown, 'rejected')}
        />
      ) : null}
    </section>
  );
}
