/**
 * "Import from ~/.ssh/config": lists the concrete Host aliases of the user's SSH config,
 * lets them pick entries, a role and the login user, and adds each as a host (key file
 * from IdentityFile, else the SSH agent). Hosts arrive in the table through the event stream.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ClusterView } from '@nodeless/backend/api';
import { toProblem } from '../api/problems.ts';
import { useApi, useOnboardingApi } from '../ui/app-context.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import type { SshConfigHostView } from '@nodeless/backend/api';
import {
  describeImportAuth,
  importAddress,
  initialChoices,
  toAddHostInput,
  type ImportChoice,
} from './ssh-import-model.ts';

type Load =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'loaded'; entries: SshConfigHostView[] };

/** The import dialog for one cluster; closes itself when every picked entry was added. */
export function SshImportDialog({ cluster, onClose }: { cluster: ClusterView; onClose(): void }) {
  const onboardingApi = useOnboardingApi();
  const api = useApi();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [choices, setChoices] = useState<ImportChoice[]>([]);
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const hasServer = cluster.hosts.some((h) => h.role === 'server');

  useEffect(() => {
    let live = true;
    onboardingApi.sshConfigHosts().then(
      (entries) => {
        if (!live) return;
        setLoad({ kind: 'loaded', entries });
        setChoices(initialChoices(entries, hasServer));
      },
      (err: unknown) => live && setLoad({ kind: 'failed', message: toProblem(err).message }),
    );
    return () => {
      live = false;
    };
    // Loaded once per opening; later inventory changes must not reset the user's picks.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [onboardingApi]);

  const entries = load.kind === 'loaded' ? load.entries : [];
  const exists = (e: SshConfigHostView) =>
    cluster.hosts.some((h) => h.address === importAddress(e) && h.port === (e.port ?? 22));
  const picked = choices.filter((c, i) => c.selected && entries[i] && !exists(entries[i]));
  const update = (i: number, patch: Partial<ImportChoice>) =>
    setChoices((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    const failed: Record<string, string> = {};
    for (const [i, choice] of choices.entries()) {
      const entry = entries[i];
      if (!choice.selected || !entry || exists(entry)) continue;
      try {
        await api.addHost(toAddHostInput(cluster.id, entry, choice));
      } catch (err) {
        const p = toProblem(err);
        const fields = Object.entries(p.fieldErrors).map(([k, v]) => `${k} ${v}`);
        failed[choice.alias] = fields.length > 0 ? fields.join('; ') : p.message;
      }
    }
    setPending(false);
    setErrors(failed);
    // Keep the dialog open on any failure so the user sees which entries were not added.
    if (Object.keys(failed).length === 0) onClose();
  }

  return (
    <Dialog title="Import hosts from ~/.ssh/config" onClose={onClose} wide>
      <form className="host-form import" onSubmit={(e) => void submit(e)} noValidate>
        {load.kind === 'loading' ? <p className="muted">Reading ~/.ssh/config…</p> : null}
        {load.kind === 'failed' ? (
          <p className="form-error" role="alert">
            {load.message}
          </p>
        ) : null}
        {load.kind === 'loaded' && entries.length === 0 ? (
          <p className="muted">
            Your ~/.ssh/config names no concrete hosts (wildcard sections like{' '}
            <span className="mono">Host *</span> are not machines). Add hosts by hand instead.
          </p>
        ) : null}
        {entries.length > 0 ? (
          <ul className="import-list">
            {entries.map((entry, i) => {
              const choice = choices[i];
              if (!choice) return null;
              const already = exists(entry);
              return (
                <li key={entry.alias} className={already ? 'already' : undefined}>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={choice.selected && !already}
                      disabled={already}
                      onChange={(e) => update(i, { selected: e.target.checked })}
                    />
                    <span className="mono">{entry.alias}</span>
                  </label>
                  <span className="muted small">
                    {entry.hostName}
                    {entry.port && entry.port !== 22 ? `:${entry.port}` : ''} ·{' '}
                    {describeImportAuth(entry)}
                    {entry.proxyJump ? ` · via ${entry.proxyJump}` : ''}
                    {already ? ' · already in this cluster' : ''}
                  </span>
                  <div className="import-options">
                    <label>
                      User{' '}
                      <input
                        value={choice.user}
                        aria-label={`User for ${entry.alias}`}
                        onChange={(e) => update(i, { user: e.target.value })}
                        disabled={already}
                        spellCheck={false}
                        autoCapitalize="off"
                      />
                    </label>
                    <label>
                      Role{' '}
                      <select
                        value={choice.role}
                        aria-label={`Role of ${entry.alias}`}
                        onChange={(e) =>
                          update(i, { role: e.target.value === 'server' ? 'server' : 'agent' })
                        }
                        disabled={already}
                      >
                        <option value="server">Server (control plane)</option>
                        <option value="agent">Agent (runs pods)</option>
                      </select>
                    </label>
                  </div>
                  {errors[entry.alias] ? (
                    <p className="field-error" role="alert">
                      Not added: {errors[entry.alias]}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : null}
        <p className="hint">
          Users other than root get passwordless sudo; use Edit on the host if it needs a sudo
          password.
        </p>
        <footer className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={pending || picked.length === 0}>
            {pending
              ? 'Adding…'
              : picked.length === 1
                ? 'Add 1 host'
                : `Add ${picked.length} hosts`}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
