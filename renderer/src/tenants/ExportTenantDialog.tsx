/**
 * Export a tenant member's kubeconfig: who it is for (listed with the tenant and revocable on
 * its own), the credential — a ServiceAccount token or an x509 client certificate signed by the
 * cluster's CA — how long it works (1 hour to 30 days) and where to write it. The backend
 * writes the file 0600 and merges an existing kubeconfig there (an empty file needs a yes
 * first, the 412); the kubeconfig itself — it holds the token or the private key — never comes
 * to this window. The result says where it went, its contexts and when it stops working.
 */
import { useState } from 'react';
import type { TenantKubeconfigWritten } from '@nodeless/backend/api';
import { ProblemText } from '../install/ProblemText.tsx';
import { useTenantsApi } from '../ui/app-context.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Choice, Field } from '../ui/Field.tsx';
import { KubeconfigFileField, shellQuote } from '../ui/KubeconfigFileField.tsx';
import { useAction } from '../ui/use-action.ts';
import {
  CREDENTIAL_CHOICES,
  DEFAULT_EXPIRY,
  defaultExportPath,
  EXPIRY_CHOICES,
  expirySeconds,
  type CredentialChoice,
  type ExpiryChoice,
} from './tenant-model.ts';

const FIELDS = ['path', 'expiresSeconds', 'member', 'credential'];

export function ExportTenantDialog(props: {
  clusterId: string;
  clusterName: string;
  namespace: string;
  onClose(): void;
}) {
  const { clusterId, clusterName, namespace, onClose } = props;
  const api = useTenantsApi();
  const action = useAction();
  const [expiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_EXPIRY);
  const [member, setMember] = useState('');
  const [credential, setCredential] = useState<CredentialChoice>('token');
  const [path, setPath] = useState(defaultExportPath(clusterName, namespace));
  // The default path follows the member until the user types a path of their own.
  const [pathEdited, setPathEdited] = useState(false);
  const [confirmPlainFile, setConfirmPlainFile] = useState(false);
  const [written, setWritten] = useState<TenantKubeconfigWritten | null>(null);
  const mustConfirm = action.problem?.kind === 'needs-confirmation';
  const fieldErrors = action.problem?.fieldErrors ?? {};

  async function submit() {
    const o = await action.run(() =>
      api.kubeconfig({
        clusterId,
        namespace,
        ...(member.trim() ? { member: member.trim() } : {}),
        credential,
        expiresSeconds: expirySeconds(expiry),
        path: path.trim(),
        ...(confirmPlainFile ? { confirmPlainFile } : {}),
      }),
    );
    if (o.ok) setWritten(o.value);
  }

  return (
    <Dialog title={`Export kubeconfig for ${namespace}`} onClose={onClose}>
      {written ? (
        <div className="dialog-body" role="status">
          <p>
            Written to <code className="mono">{written.path}</code> (readable only by you
            {written.merged ? '; its other contexts were kept' : ''}), context{' '}
            <code className="mono">{written.context}</code>.
          </p>
          {written.contexts.length > 1 ? (
            <p>
              One context per namespace of the tenant:{' '}
              {written.contexts.map((c, i) => (
                <span key={c}>
                  {i > 0 ? ', ' : ''}
                  <code className="mono">{c}</code>
                </span>
              ))}
              .
            </p>
          ) : null}
          <p>
            The {written.credential === 'certificate' ? 'client certificate' : 'token'}
            {written.member === 'default' ? null : (
              <>
                {' '}
                of <strong>{written.member}</strong>
              </>
            )}{' '}
            works until <strong>{new Date(written.expiresAt).toLocaleString()}</strong>, or until it
            is revoked.
          </p>
          <pre className="command">
            kubectl --kubeconfig {shellQuote(written.path)} --context {written.context} get pods
          </pre>
          <footer className="dialog-actions">
            <button type="button" className="primary" onClick={onClose} autoFocus>
              Done
            </button>
          </footer>
        </div>
      ) : (
        <form
          className="dialog-body"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Field
            label="Member"
            value={member}
            placeholder="default"
            onChange={(v) => {
              setMember(v);
              if (!pathEdited) setPath(defaultExportPath(clusterName, namespace, v));
              action.clear();
            }}
            hint="Who it is for: listed with the tenant and revocable alone. Empty for default."
            error={fieldErrors['member']}
            spellCheck={false}
          />
          <Choice
            legend="Credential"
            name="credential"
            value={credential}
            options={CREDENTIAL_CHOICES}
            onChange={(v) => {
              setCredential(v);
              action.clear();
            }}
            error={fieldErrors['credential']}
          />
          <p className="hint">
            {credential === 'certificate'
              ? 'An x509 client certificate signed by the cluster’s CA (the CSR API); its key is made on this machine and written only into the file.'
              : 'A ServiceAccount token from the TokenRequest API.'}
          </p>
          <Choice
            legend="Expires after"
            name="expiry"
            value={expiry}
            options={EXPIRY_CHOICES}
            onChange={(v) => {
              setExpiry(v);
              action.clear();
            }}
            error={fieldErrors['expiresSeconds']}
          />
          <KubeconfigFileField
            path={path}
            onPathChange={(v) => {
              setPath(v);
              setPathEdited(true);
              action.clear();
            }}
            error={fieldErrors['path']}
            mustConfirm={mustConfirm}
            confirmPlainFile={confirmPlainFile}
            onConfirmChange={setConfirmPlainFile}
          />
          {action.problem && !FIELDS.some((f) => fieldErrors[f]) ? (
            <ProblemText problem={action.problem} />
          ) : null}
          <footer className="dialog-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={action.pending || !path.trim()}>
              {action.pending ? 'Exporting…' : 'Export'}
            </button>
          </footer>
        </form>
      )}
    </Dialog>
  );
}
