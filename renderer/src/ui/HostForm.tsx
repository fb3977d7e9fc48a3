/**
 * Add or edit one host of a cluster, in a modal. Secret boxes are `type=password`, never
 * prefilled; when editing, an empty box keeps the stored secret. Field errors from the
 * backend appear under their field; anything else in one alert above the buttons.
 */
import { useState, type FormEvent } from 'react';
import type { HostRole, HostView } from '@nodeless/backend/api';
import { useApi } from './app-context.tsx';
import { Choice, Field } from './Field.tsx';
import { Dialog } from './Dialog.tsx';
import { useAction } from './use-action.ts';
import {
  destinationChanged,
  initialHostForm,
  localFieldErrors,
  storedSecrets,
  toHostFields,
  type AuthKind,
  type HostFormState,
  type SudoKind,
} from './host-form-model.ts';

const ROLES = [
  { value: 'server', label: 'Server (control plane)' },
  { value: 'agent', label: 'Agent (runs pods)' },
] as const satisfies readonly { value: HostRole; label: string }[];

const AUTH_KINDS = [
  { value: 'key', label: 'Key file' },
  { value: 'agent', label: 'SSH agent' },
  { value: 'password', label: 'Password' },
] as const satisfies readonly { value: AuthKind; label: string }[];

const SUDO_KINDS = [
  { value: 'none', label: 'Not needed (root)' },
  { value: 'passwordless', label: 'Passwordless' },
  { value: 'password', label: 'With password' },
] as const satisfies readonly { value: SudoKind; label: string }[];

/** Field paths this form shows next to a field; other field errors go to the summary. */
const SHOWN_FIELDS = new Set([
  'address',
  'port',
  'user',
  'role',
  'auth.keyPath',
  'auth.passphrase',
  'auth.password',
  'sudo.password',
]);

const KEEP_HINT = 'Stored — leave empty to keep it.';
/** A stored secret is only used where it was entered (the backend refuses to carry it over). */
const REENTER_HINT = 'Enter it again: the address, port or user changed.';

export interface HostFormProps {
  clusterId: string;
  clusterName: string;
  /** The host being edited; absent to add a new one. */
  host?: HostView | undefined;
  defaultRole: HostRole;
  onClose(): void;
}

export function HostForm({ clusterId, clusterName, host, defaultRole, onClose }: HostFormProps) {
  const api = useApi();
  const action = useAction();
  const [form, setForm] = useState<HostFormState>(() => initialHostForm(host, defaultRole));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const moved = destinationChanged(form, host);
  const stored = storedSecrets(host);
  const editing = host !== undefined;
  const storedHint = (isStored: boolean, otherwise: string) =>
    isStored ? (moved ? REENTER_HINT : KEEP_HINT) : otherwise;
  const storedPlaceholder = (isStored: boolean, otherwise: string) =>
    isStored && !moved ? 'stored' : otherwise;
  const set =
    <K extends keyof HostFormState>(key: K) =>
    (value: HostFormState[K]) =>
      setForm((f) => ({ ...f, [key]: value }));

  const errors = { ...(action.problem?.fieldErrors ?? {}), ...localErrors };
  const unshown = Object.entries(action.problem?.fieldErrors ?? {}).filter(
    ([k]) => !SHOWN_FIELDS.has(k),
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local = localFieldErrors(form);
    setLocalErrors(local);
    if (Object.keys(local).length > 0) return;
    const fields = toHostFields(form, editing);
    const outcome = await action.run(() =>
      host ? api.updateHost({ id: host.id, ...fields }) : api.addHost({ clusterId, ...fields }),
    );
    // The new/changed host reaches the table through the event stream, not from this result.
    if (outcome.ok) onClose();
  }

  return (
    <Dialog
      title={editing ? `Edit host ${host.address}` : `Add a host to ${clusterName}`}
      onClose={onClose}
      wide
    >
      <form className="host-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="row">
          <Field
            label="Address"
            value={form.address}
            onChange={set('address')}
            error={errors.address}
            placeholder="10.0.0.5 or node1.lan"
            hint="Hostname, IPv4 or IPv6 address this machine can reach."
            autoFocus
            spellCheck={false}
            autoCapitalize="off"
          />
          <Field
            label="Port"
            value={form.port}
            onChange={set('port')}
            error={errors.port}
            inputMode="numeric"
            className="narrow"
          />
          <Field
            label="User"
            value={form.user}
            onChange={set('user')}
            error={errors.user}
            spellCheck={false}
            autoCapitalize="off"
          />
        </div>
        <Choice
          legend="Role"
          name="role"
          value={form.role}
          options={ROLES}
          onChange={set('role')}
          error={errors.role}
        />
        <Choice
          legend="Sign in with"
          name="auth"
          value={form.authKind}
          options={AUTH_KINDS}
          onChange={set('authKind')}
          error={errors.auth}
        />
        {form.authKind === 'key' ? (
          <div className="row">
            <Field
              label="Key file"
              value={form.keyPath}
              onChange={set('keyPath')}
              error={errors['auth.keyPath']}
              hint="Path to the private key on this computer."
              spellCheck={false}
            />
            <Field
              label="Key passphrase"
              type="password"
              autoComplete="new-password"
              value={form.passphrase}
              onChange={set('passphrase')}
              error={errors['auth.passphrase']}
              placeholder={storedPlaceholder(stored.passphrase, 'optional')}
              hint={storedHint(stored.passphrase, 'Only if the key is encrypted.')}
            />
          </div>
        ) : null}
        {form.authKind === 'key' && stored.passphrase ? (
          <label className="check">
            <input
              type="checkbox"
              checked={form.clearPassphrase}
              onChange={(e) => set('clearPassphrase')(e.target.checked)}
            />
            Forget the stored passphrase
          </label>
        ) : null}
        {form.authKind === 'agent' ? (
          <p className="hint">
            Uses the keys loaded in the SSH agent of this computer ($SSH_AUTH_SOCK).
          </p>
        ) : null}
        {form.authKind === 'password' ? (
          <Field
            label="SSH password"
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={set('password')}
            error={errors['auth.password']}
            placeholder={storedPlaceholder(stored.password, '')}
            hint={storedHint(stored.password, 'Stored encrypted; never shown again.')}
          />
        ) : null}
        <Choice
          legend="Sudo"
          name="sudo"
          value={form.sudoKind}
          options={SUDO_KINDS}
          onChange={set('sudoKind')}
          error={errors.sudo}
        />
        {form.sudoKind === 'password' ? (
          <Field
            label="Sudo password"
            type="password"
            autoComplete="new-password"
            value={form.sudoPassword}
            onChange={set('sudoPassword')}
            error={errors['sudo.password']}
            placeholder={storedPlaceholder(stored.sudoPassword, '')}
            hint={storedHint(stored.sudoPassword, 'Stored encrypted; never shown again.')}
          />
        ) : null}
        {action.problem ? (
          <div className="form-error" role="alert">
            <p>{action.problem.message}</p>
            {unshown.length > 0 ? (
              <ul>
                {unshown.map(([k, v]) => (
                  <li key={k}>
                    {k}: {v}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <footer className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={action.pending}>
            {action.pending ? 'Saving…' : editing ? 'Save changes' : 'Add host'}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
