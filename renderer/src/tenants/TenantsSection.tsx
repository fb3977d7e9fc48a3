/**
 * A cluster's tenants: each namespace with its quota (in vCPU / GiB and pods) and what its pods
 * take now; Add tenant; per tenant, Export kubeconfig and Revoke (every kubeconfig exported
 * for it stops working within seconds). The list is read from the cluster on open and after
 * each change here.
 */
import { useEffect, useState } from 'react';
import type { TenantRow } from '@nodeless/backend/api';
import { toProblem, type Problem } from '../api/problems.ts';
import { ProblemText } from '../install/ProblemText.tsx';
import { useTenantsApi } from '../ui/app-context.tsx';
import { ConfirmDialog } from '../ui/Dialog.tsx';
import { useAction } from '../ui/use-action.ts';
import { AddTenantDialog } from './AddTenantDialog.tsx';
import { DemoAdmissionNote } from './DemoAdmissionNote.tsx';
import { ExportTenantDialog } from './ExportTenantDialog.tsx';
import { podsText, quotaText, usageText } from './tenant-model.ts';

type Open = { kind: 'add' } | { kind: 'export' | 'revoke'; namespace: string } | null;

export function TenantsSection(props: { clusterId: string; clusterName: string; demo: boolean }) {
  const { clusterId, clusterName } = props;
  const api = useTenantsApi();
  const revoke = useAction();
  const [rows, setRows] = useState<TenantRow[] | null>(null);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  // Bumped after each change here: the list is read again.
  const [generation, setGeneration] = useState(0);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // Mounted per cluster (keyed by its id), so a fresh section starts with no rows.
  useEffect(() => {
    let current = true;
    api.list({ clusterId }).then(
      (list) => {
        if (!current) return;
        setRows(list);
        setLoadProblem(null);
      },
      (error: unknown) => {
        if (current) setLoadProblem(toProblem(error));
      },
    );
    return () => {
      current = false;
    };
  }, [api, clusterId, generation]);
  const refresh = () => setGeneration((g) => g + 1);

  async function confirmRevoke(namespace: string) {
    const o = await revoke.run(() => api.revoke({ clusterId, namespace }));
    if (!o.ok) return;
    setOpen(null);
    refresh();
    setNotice(`Revoked every kubeconfig of ${namespace}; kubeconfigs exported from now on work.`);
  }

  return (
    <section className="cluster-page" aria-labelledby="tenants-title">
      <header className="page-header">
        <div>
          <h2 id="tenants-title" className="section-title">
            Tenants
          </h2>
          <p className="muted">
            A tenant is a namespace with a quota and its own kubeconfig: it can run workloads there,
            and sees no machines, no other namespace and nothing cluster-wide.
          </p>
        </div>
        <div className="inline-actions">
          {/* What the pods take changes on its own: read it again on demand. */}
          <button type="button" onClick={refresh}>
            Refresh
          </button>
          <button type="button" className="primary" onClick={() => setOpen({ kind: 'add' })}>
            Add tenant
          </button>
        </div>
      </header>
      {props.demo ? <DemoAdmissionNote /> : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {loadProblem ? <ProblemText problem={loadProblem} /> : null}
      {rows === null && !loadProblem ? <p className="muted">Loading tenants…</p> : null}
      {rows?.length === 0 ? (
        <p className="muted">No tenants yet. Add one to hand out a namespace with a quota.</p>
      ) : null}
      {rows && rows.length > 0 ? (
        <table className="hosts" aria-label="Tenants">
          <thead>
            <tr>
              <th scope="col">Namespace</th>
              <th scope="col">Quota</th>
              <th scope="col">Pods</th>
              <th scope="col">In use</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.namespace}>
                <th scope="row" className="mono">
                  {t.namespace}
                </th>
                <td>{quotaText(t)}</td>
                <td>{podsText(t)}</td>
                <td>{usageText(t)}</td>
                <td className="actions">
                  <button
                    type="button"
                    aria-label={`Export kubeconfig for ${t.namespace}`}
                    onClick={() => setOpen({ kind: 'export', namespace: t.namespace })}
                  >
                    Export kubeconfig
                  </button>{' '}
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Revoke ${t.namespace}`}
                    onClick={() => {
                      revoke.clear();
                      setOpen({ kind: 'revoke', namespace: t.namespace });
                    }}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {open?.kind === 'add' ? (
        <AddTenantDialog
          clusterId={clusterId}
          onClose={() => setOpen(null)}
          onAdded={(row) => {
            setOpen(null);
            setNotice(`Tenant ${row.namespace} is ready. Export a kubeconfig to hand it out.`);
            refresh();
          }}
        />
      ) : null}
      {open?.kind === 'export' ? (
        <ExportTenantDialog
          clusterId={clusterId}
          clusterName={clusterName}
          namespace={open.namespace}
          onClose={() => setOpen(null)}
        />
      ) : null}
      {open?.kind === 'revoke' ? (
        <ConfirmDialog
          title={`Revoke ${open.namespace}?`}
          confirmLabel="Revoke kubeconfigs"
          pending={revoke.pending}
          error={revoke.problem?.message ?? null}
          onConfirm={() => void confirmRevoke(open.namespace)}
          onClose={() => setOpen(null)}
        >
          <p>
            Every kubeconfig exported for <strong>{open.namespace}</strong> stops working within
            seconds. The namespace, its quota and its workloads stay; kubeconfigs exported
            afterwards work.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
