/**
 * Day 2 on an installed cluster: remove a machine (cordon, drain, delete the node,
 * uninstall), add inventory machines not in the cluster yet (join only), reset the whole
 * cluster after typing its name, and Upgrade shown as unavailable with the backend's reason.
 */
import { useState } from 'react';
import type { ClusterView, HostView } from '@nodeless/backend/api';
import { useBootstrapApi } from '../ui/app-context.tsx';
import { ConfirmDialog, Dialog } from '../ui/Dialog.tsx';
import { Field } from '../ui/Field.tsx';
import { endpoint } from '../ui/HostTable.tsx';
import { useAction } from '../ui/use-action.ts';
import { ProblemText } from './ProblemText.tsx';

export interface Day2Props {
  cluster: ClusterView;
  members: ReadonlySet<string>;
  /** Members running the control plane (they cannot be removed yet). */
  servers: ReadonlySet<string>;
  /** A run is active: day-2 actions wait for it. */
  busy: boolean;
  upgradeReason: string;
}

/**
 * Why servers stay: removing one from an odd number leaves etcd an even one (no gain in fault
 * tolerance, a quorum that needs every member), and the first one is where the kubeconfig points.
 */
export const SERVER_REMOVAL_REASON =
  'Servers cannot be removed yet: etcd would be left with an even number of members. Reset the cluster to start over.';

export function Day2({ cluster, members, servers, busy, upgradeReason }: Day2Props) {
  const api = useBootstrapApi();
  const action = useAction();
  const [removing, setRemoving] = useState<HostView | null>(null);
  const [resetting, setResetting] = useState(false);
  const inCluster = cluster.hosts.filter((h) => members.has(h.id));
  const outside = cluster.hosts.filter((h) => !members.has(h.id));

  return (
    <section className="day2" aria-labelledby="day2-title">
      <h3 id="day2-title">Machines in the cluster</h3>
      {action.problem && !removing && !resetting ? <ProblemText problem={action.problem} /> : null}
      <table className="hosts">
        <tbody>
          {inCluster.map((h) => (
            <tr key={h.id}>
              <th scope="row" className="mono">
                {endpoint(h)}
              </th>
              <td>
                <span className={`badge role-${h.role}`}>{h.role}</span>
              </td>
              <td className="row-actions-cell">
                {servers.has(h.id) ? (
                  <span className="muted small">{SERVER_REMOVAL_REASON}</span>
                ) : (
                  <button type="button" disabled={busy} onClick={() => setRemoving(h)}>
                    Remove from cluster
                  </button>
                )}
              </td>
            </tr>
          ))}
          {outside.map((h) => (
            <tr key={h.id}>
              <th scope="row" className="mono">
                {endpoint(h)}
              </th>
              <td className="muted small">not installed</td>
              <td className="row-actions-cell">
                <button
                  type="button"
                  disabled={busy || action.pending}
                  onClick={() =>
                    void action.run(() => api.addHosts({ clusterId: cluster.id, hostIds: [h.id] }))
                  }
                >
                  Add to cluster
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="inline-actions">
        <button type="button" disabled title={upgradeReason} aria-describedby="upgrade-reason">
          Upgrade
        </button>
        <span id="upgrade-reason" className="muted small">
          {upgradeReason}.
        </span>
        <button type="button" className="danger" disabled={busy} onClick={() => setResetting(true)}>
          Reset…
        </button>
      </div>
      {removing ? (
        <ConfirmDialog
          title={`Remove ${endpoint(removing)} from ${cluster.name}?`}
          confirmLabel="Remove from cluster"
          pending={action.pending}
          error={action.problem?.message ?? null}
          onClose={() => {
            setRemoving(null);
            action.clear();
          }}
          onConfirm={() =>
            void action
              .run(() => api.removeHost({ clusterId: cluster.id, hostId: removing.id }))
              .then((o) => o.ok && setRemoving(null))
          }
        >
          <p>
            Its pods are moved to the other machines (cordon and drain), its node is deleted, and
            k3s and the sandbox runtime are uninstalled from it. It stays in the inventory.
          </p>
        </ConfirmDialog>
      ) : null}
      {resetting ? (
        <ResetDialog
          clusterName={cluster.name}
          pending={action.pending}
          problem={action.problem}
          onClose={() => {
            setResetting(false);
            action.clear();
          }}
          onConfirm={(confirmName) =>
            void action
              .run(() => api.reset({ clusterId: cluster.id, confirmName }))
              .then((o) => o.ok && setResetting(false))
          }
        />
      ) : null}
    </section>
  );
}

interface ResetDialogProps {
  clusterName: string;
  pending: boolean;
  problem: ReturnType<typeof useAction>['problem'];
  onClose(): void;
  onConfirm(confirmName: string): void;
}

function ResetDialog({ clusterName, pending, problem, onClose, onConfirm }: ResetDialogProps) {
  const [typed, setTyped] = useState('');
  return (
    <Dialog title={`Reset ${clusterName}?`} onClose={onClose}>
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed === clusterName) onConfirm(typed);
        }}
      >
        <p>
          This uninstalls k3s and the sandbox runtime from every machine. Every workload and its
          data on the cluster is lost. The machines stay in the inventory.
        </p>
        <Field
          label={`Type ${clusterName} to confirm`}
          value={typed}
          onChange={setTyped}
          error={problem?.fieldErrors.confirmName}
          autoComplete="off"
          spellCheck={false}
          autoFocus
        />
        {problem && !problem.fieldErrors.confirmName ? <ProblemText problem={problem} /> : null}
        <footer className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={pending || typed !== clusterName}>
            {pending ? 'Working…' : 'Reset cluster'}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
