/**
 * The install panel (issue 6, point 5): choose servers and agents, the sandbox, the k3s
 * version and where the artifacts come from (defaults from `bootstrap.defaults`), then
 * Preview — what will change on which host, nothing is touched — then Install.
 */
import { useEffect, useState } from 'react';
import type { ClusterView, InstallOptionsView, PreviewView } from '@nodeless/backend/api';
import { useBootstrapApi } from '../ui/app-context.tsx';
import { endpoint } from '../ui/HostTable.tsx';
import { Field } from '../ui/Field.tsx';
import { useAction } from '../ui/use-action.ts';
import { BlockIcon, WarnIcon } from '../onboarding/status-icons.tsx';
import { PreviewList } from './PreviewList.tsx';
import { ProblemText } from './ProblemText.tsx';
import {
  checkForm,
  formFromDefaults,
  optionsOf,
  type HostChoice,
  type InstallForm,
} from './options-model.ts';

export interface InstallPanelProps {
  cluster: ClusterView;
  onClose(): void;
  /** The run started; the run view takes over. */
  onStarted(runId: string): void;
}

export function InstallPanel({ cluster, onClose, onStarted }: InstallPanelProps) {
  const api = useBootstrapApi();
  const load = useAction();
  const preview = useAction();
  const start = useAction();
  const [defaults, setDefaults] = useState<InstallOptionsView | null>(null);
  const [form, setForm] = useState<InstallForm | null>(null);
  const [shown, setShown] = useState<PreviewView | null>(null);
  const hostIds = cluster.hosts.map((h) => h.id).join(' ');

  const { run: runLoad } = load;
  useEffect(() => {
    void runLoad(() => api.defaults({ clusterId: cluster.id })).then((o) => {
      if (!o.ok) return;
      setDefaults(o.value);
      setForm(formFromDefaults(o.value, hostIds.split(' ').filter(Boolean)));
    });
  }, [api, runLoad, cluster.id, hostIds]);

  // Any change of the options makes the preview stale: it answered other options.
  const edit = (next: InstallForm) => {
    setForm(next);
    setShown(null);
    preview.clear();
    start.clear();
  };

  if (!defaults || !form) {
    return (
      <section className="install-panel" aria-label="Install">
        {load.problem ? <ProblemText problem={load.problem} /> : <p className="muted">Loading…</p>}
      </section>
    );
  }
  const check = checkForm(form);
  const blocked = defaults.blockers.length > 0;
  const options = optionsOf(form);

  return (
    <section className="install-panel" aria-labelledby="install-title">
      <header className="section-header">
        <div>
          <h2 id="install-title">Install {cluster.name}</h2>
          <p className="muted small">
            k3s and the sandbox runtime go onto the machines you choose. Preview first: it only
            checks and lists what would change.
          </p>
        </div>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      {blocked ? (
        <div className="callout callout-block" role="alert">
          <BlockIcon label="Blocked" />
          <div>
            <p>
              <strong>The install cannot start yet:</strong>
            </p>
            <ul>
              {defaults.blockers.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      <div className="install-options">
        <fieldset className="install-hosts">
          <legend>Machines</legend>
          <table className="hosts">
            <thead>
              <tr>
                <th scope="col">Machine</th>
                <th scope="col">Role in this install</th>
              </tr>
            </thead>
            <tbody>
              {cluster.hosts.map((h) => (
                <tr key={h.id}>
                  <th scope="row" className="mono">
                    {endpoint(h)}
                  </th>
                  <td>
                    <select
                      aria-label={`Role of ${endpoint(h)}`}
                      value={form.roles.get(h.id) ?? 'skip'}
                      onChange={(e) =>
                        edit({
                          ...form,
                          roles: new Map(form.roles).set(h.id, e.target.value as HostChoice),
                        })
                      }
                    >
                      <option value="server">Server (control plane)</option>
                      <option value="agent">Agent (runs pods)</option>
                      <option value="skip">Not in this install</option>
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
        <fieldset className="sandbox-choices">
          <legend>Sandbox for every pod</legend>
          {defaults.sandboxChoices.map((c) => (
            <label key={c.value} className={c.available ? 'radio-row' : 'radio-row disabled'}>
              <input
                type="radio"
                name="sandbox"
                value={c.value}
                checked={form.sandbox === c.value}
                disabled={!c.available}
                onChange={() => edit({ ...form, sandbox: c.value })}
              />
              <span>
                {c.label}
                {c.reason ? <span className="muted small reason"> — {c.reason}</span> : null}
              </span>
            </label>
          ))}
        </fieldset>
        <div className="install-source">
          <div className="field">
            <label htmlFor="k3s-version">k3s version</label>
            <select
              id="k3s-version"
              value={form.k3sVersion}
              onChange={(e) => edit({ ...form, k3sVersion: e.target.value })}
            >
              {defaults.k3sVersions.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
            <p className="hint muted small">
              Upgrades later: {defaults.upgrade.reason.toLowerCase()}.
            </p>
          </div>
          <fieldset className="choice">
            <legend>Artifacts</legend>
            <label className="radio-row">
              <input
                type="radio"
                name="artifacts"
                checked={form.artifacts === 'online'}
                onChange={() => edit({ ...form, artifacts: 'online' })}
              />
              Online — each machine downloads the release and checks its sha256
            </label>
            <label className="radio-row">
              <input
                type="radio"
                name="artifacts"
                checked={form.artifacts === 'bundle'}
                onChange={() => edit({ ...form, artifacts: 'bundle' })}
              />
              Airgap bundle — uploaded from this computer over SSH
            </label>
          </fieldset>
          {form.artifacts === 'bundle' ? (
            <Field
              label="Bundle folder"
              value={form.bundlePath}
              onChange={(v) => edit({ ...form, bundlePath: v })}
              placeholder="/path/to/nodeless-bundle"
              hint="The folder with manifest.json, k3s and the images archive."
              error={preview.problem?.fieldErrors['options.artifacts.path']}
              spellCheck={false}
            />
          ) : null}
        </div>
      </div>
      {[...check.errors, ...check.warnings].length > 0 ? (
        <ul className="verdicts" aria-label="About these options">
          {check.errors.map((e) => (
            <li key={e} className="verdict verdict-block">
              <BlockIcon />
              <p>{e}</p>
            </li>
          ))}
          {check.warnings.map((w) => (
            <li key={w} className="verdict verdict-warn">
              <WarnIcon />
              <p>{w}</p>
            </li>
          ))}
        </ul>
      ) : null}
      <footer className="dialog-actions">
        <button
          type="button"
          className={shown ? '' : 'primary'}
          disabled={blocked || check.errors.length > 0 || preview.pending}
          onClick={() =>
            void preview
              .run(() => api.preview({ clusterId: cluster.id, options }))
              .then((o) => o.ok && setShown(o.value))
          }
        >
          {preview.pending ? 'Checking the machines…' : shown ? 'Preview again' : 'Preview'}
        </button>
      </footer>
      {preview.problem ? <ProblemText problem={preview.problem} /> : null}
      {shown ? (
        <>
          <PreviewList preview={shown} />
          <footer className="dialog-actions">
            {start.problem ? <ProblemText problem={start.problem} /> : null}
            <button
              type="button"
              className="primary"
              disabled={start.pending}
              onClick={() =>
                void start
                  .run(() => api.start({ clusterId: cluster.id, options }))
                  .then((o) => o.ok && onStarted(o.value.runId))
              }
            >
              {start.pending ? 'Starting…' : 'Install'}
            </button>
          </footer>
        </>
      ) : null}
    </section>
  );
}
