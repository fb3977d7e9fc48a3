/**
 * A cluster's tenants: each with its namespaces, its quota (in vCPU / GiB and pods, per
 * namespace), what its pods take now and its members' kubeconfigs (member, credential, expiry;
 * each member revocable alone); Add tenant; per tenant, Export kubeconfig, Revoke (every
 * kubeconfig exported for it stops working within seconds) and Remove. The list is read from
 * the cluster on open and after each change here.
 */
import { useEffect, useState } from 'react';
import type { TenantRemoved, TenantRow } from '@nodeless/backend/api';
import { toProblem, type Problem } from '../api/problems.ts';
import { ProblemText } from '../install/ProblemText.tsx';
import { useTenantsApi } from '../ui/app-context.tsx';
import { ConfirmDialog } from '../ui/Dialog.tsx';
import { useAction } from '../ui/use-action.ts';
import { AddTenantDialog } from './AddTenantDialog.tsx';
import { DemoAdmissionNote } from './DemoAdmissionNote.tsx';
import { ExportTenantDialog } from './ExportTenantDialog.tsx';
import { RemoveTenantDialog } from './RemoveTenantDialog.tsx';
import { credentialText, membersOf, podsText, quotaText, usageText } from './tenant-model.ts';

type Open =
  | { kind: 'add' }
  | { kind: 'export' | 'revoke'; namespace: string }
  | { kind: 'revoke-member'; namespace: string; member: string }
  | { kind: 'remove'; row: TenantRow }
  | null;

function removedNotice(r: TenantRemoved): string {
  const kept = r.kept.length ? ` Kept ${r.kept.join(', ')} without its access and quota.` : '';
  const deleted = r.deleted.length ? ` Deleting ${r.deleted.join(', ')}.` : '';
  return `Removed tenant ${r.namespace}: its kubeconfigs no longer work.${kept}${deleted}`;
}

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

  async function confirmRevoke(namespace: string, member?: string) {
    const o = await revoke.run(() =>
      api.revoke({ clusterId, namespace, ...(member === undefined ? {} : { member }) }),
    );
    if (!o.ok) return;
    setOpen(null);
    refresh();
    setNotice(
      member === undefined
        ? `Revoked every kubeconfig of ${namespace}; kubeconfigs exported from now on work.`
        : `Revoked the kubeconfigs of ${member} in ${namespace}; the other members' keep working.`,
    );
  }

  return (
    <section className="cluster-page" aria-labelledby="tenants-title">
      <header className="page-header">
        <div>
          <h2 id="tenants-title" className="section-title">
            Tenants
          </h2>
          <p className="muted">
            A tenant is one or more namespaces with a quota and its members&apos; kubeconfigs: they
            can run workloads there, and see no machines, no other namespace and nothing
            cluster-wide.
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
              <th scope="col">Tenant</th>
              <th scope="col">Quota</th>
              <th scope="col">Pods</th>
              <th scope="col">In use</th>
              <th scope="col">Kubeconfigs</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.namespace}>
                <th scope="row">
                  <span className="mono">{t.namespace}</span>
                  {t.namespaces.length > 1 ? (
                    <span className="tenant-namespaces muted">
                      also <span className="mono">{t.namespaces.slice(1).join(', ')}</span>
                    </span>
                  ) : null}
                </th>
                <td>
                  {quotaText(t)}
                  {t.namespaces.length > 1 && t.quota ? ' each' : ''}
                </td>
                <td>{podsText(t)}</td>
                <td>{usageText(t)}</td>
                <td>
                  {t.credentials.length === 0 ? (
                    <span className="muted">None</span>
                  ) : (
                    <ul className="tenant-members" aria-label={`Kubeconfigs of ${t.namespace}`}>
                      {membersOf(t).map((m) => (
                        <li key={m}>
                          <span className="mono">{m}</span>{' '}
                          <span className="muted">
                            {t.credentials
                              .filter((c) => c.member === m)
                              .map((c) => credentialText(c))
                              .join('; ')}
                          </span>{' '}
                          <button
                            type="button"
                            className="danger small"
                            aria-label={`Revoke ${m} of ${t.namespace}`}
                            onClick={() => {
                              revoke.clear();
                              setOpen({ kind: 'revoke-member', namespace: t.namespace, member: m });
                            }}
                          >
                            Revoke
                          </button>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
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
                  </button>{' '}
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Remove ${t.namespace}`}
                    onClick={() => setOpen({ kind: 'remove', row: t })}
                  >
                    Remove
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
            seconds, tokens and certificates alike. The namespaces, their quota and their workloads
            stay; kubeconfigs exported afterwards work.
          </p>
        </ConfirmDialog>
      ) : null}
      {open?.kind === 'revoke-member' ? (
        <ConfirmDialog
          title={`Revoke ${open.member}?`}
          confirmLabel="Revoke"
          pending={revoke.pending}
          error={revoke.problem?.message ?? null}
          onConfirm={() => void confirmRevoke(open.namespace, open.member)}
          onClose={() => setOpen(null)}
        >
          <p>
            The kubeconfigs of <strong>{open.member}</strong> in {open.namespace} stop working
            within seconds: a certificate is refused (Forbidden), a token is no longer accepted. The
            other members&apos; keep working.
          </p>
        </ConfirmDialog>
      ) : null}
      {open?.kind === 'remove' ? (
        <RemoveTenantDialog
          clusterId={clusterId}
          row={open.row}
          onClose={() => setOpen(null)}
          onRemoved={(r) => {
            setOpen(null);
            setNotice(removedNotice(r));
            refresh();
          }}
        />
      ) : null}
    </section>
  );
}
