/**
 * Export a tenant's kubeconfig: how long its token works (1 hour to 30 days) and where to
 * write it. The backend writes the file 0600 and merges an existing kubeconfig there (an empty
 * file needs a yes first, the 412); the kubeconfig itself — it holds a bearer token — never
 * comes to this window. The result says where it went and when it stops working.
 */
import { useState } from 'react';
import type { TenantKubeconfigWritten } from '@nodeless/backend/api';
import { ProblemText } from '../install/ProblemText.tsx';
import { useTenantsApi } from '../ui/app-context.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Choice } from '../ui/Field.tsx';
import { KubeconfigFileField, shellQuote } from '../ui/KubeconfigFileField.tsx';
import { useAction } from '../ui/use-action.ts';
import {
  DEFAULT_EXPIRY,
  defaultExportPath,
  EXPIRY_CHOICES,
  expirySeconds,
  type ExpiryChoice,
} from './tenant-model.ts';

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
  const [path, setPath] = useState(defaultExportPath(clusterName, namespace));
  const [confirmPlainFile, setConfirmPlainFile] = useState(false);
  const [written, setWritten] = useState<TenantKubeconfigWritten | null>(null);
  const mustConfirm = action.problem?.kind === 'needs-confirmation';
  const fieldErrors = action.problem?.fieldErrors ?? {};

  async function submit() {
    const o = await action.run(() =>
      api.kubeconfig({
        clusterId,
        namespace,
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
          <p>
            It works until <strong>{new Date(written.expiresAt).toLocaleString()}</strong>, or until
            the tenant is revoked.
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
              action.clear();
            }}
            error={fieldErrors['path']}
            mustConfirm={mustConfirm}
            confirmPlainFile={confirmPlainFile}
            onConfirmChange={setConfirmPlainFile}
          />
          {action.problem && !fieldErrors['path'] && !fieldErrors['expiresSeconds'] ? (
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
