/**
 * The hosts of one cluster as a table, with Edit and Remove (after confirmation) per row.
 */
import { useState } from 'react';
import type { HostView } from '@nodeless/backend/api';
import { useApi } from './app-context.tsx';
import { ConfirmDialog } from './Dialog.tsx';
import { describeAuth, describeSudo } from './host-form-model.ts';
import { useAction } from './use-action.ts';

/** `host:port`, with IPv6 in brackets as ssh and URLs write it. */
export function endpoint(h: Pick<HostView, 'address' | 'port'>): string {
  const addr = h.address.includes(':') ? `[${h.address}]` : h.address;
  return h.port === 22 ? addr : `${addr}:${h.port}`;
}

export interface HostTableProps {
  hosts: readonly HostView[];
  onEdit(host: HostView): void;
}

export function HostTable({ hosts, onEdit }: HostTableProps) {
  const [removing, setRemoving] = useState<HostView | null>(null);
  const api = useApi();
  const action = useAction();

  async function remove(host: HostView) {
    const outcome = await action.run(() => api.removeHost({ id: host.id }));
    if (outcome.ok) setRemoving(null);
  }

  return (
    <>
      <table className="hosts">
        <thead>
          <tr>
            <th scope="col">Address</th>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">Sign in</th>
            <th scope="col">Sudo</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {hosts.map((h) => (
            <tr key={h.id}>
              <th scope="row" className="mono">
                {endpoint(h)}
              </th>
              <td className="mono">{h.user}</td>
              <td>
                <span className={`badge role-${h.role}`}>{h.role}</span>
              </td>
              <td>{describeAuth(h.auth)}</td>
              <td>{describeSudo(h.sudo)}</td>
              <td className="actions">
                <button
                  type="button"
                  className="ghost small"
                  aria-label={`Edit host ${h.address}`}
                  onClick={() => onEdit(h)}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="ghost small danger-text"
                  aria-label={`Remove host ${h.address}`}
                  onClick={() => {
                    action.clear();
                    setRemoving(h);
                  }}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {removing ? (
        <ConfirmDialog
          title={`Remove host ${removing.address}?`}
          confirmLabel="Remove host"
          pending={action.pending}
          error={action.problem?.message ?? null}
          onConfirm={() => void remove(removing)}
          onClose={() => setRemoving(null)}
        >
          <p>
            Nodeless will forget <strong>{endpoint(removing)}</strong> and the credentials stored
            for it.
          </p>
          <p className="muted">Nothing is changed on the machine itself.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
