/**
 * Export kubeconfig: where to write it (default `~/.kube/<cluster>.yaml`; the backend
 * resolves `~` and writes the file with mode 0600). An existing kubeconfig there is merged
 * (its other contexts stay); an existing empty file is written only after the user confirms
 * (the backend answers 412 first); anything else is refused with a message under the path.
 * The kubeconfig itself never travels to this window.
 */
import { useState } from 'react';
import { useBootstrapApi } from '../ui/app-context.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { KubeconfigFileField, shellQuote } from '../ui/KubeconfigFileField.tsx';
import { useAction } from '../ui/use-action.ts';
import { ProblemText } from './ProblemText.tsx';

export interface ExportDialogProps {
  clusterId: string;
  clusterName: string;
  onClose(): void;
}

export function ExportDialog({ clusterId, clusterName, onClose }: ExportDialogProps) {
  const api = useBootstrapApi();
  const action = useAction();
  const [path, setPath] = useState(`~/.kube/${clusterName}.yaml`);
  const [confirmPlainFile, setConfirmPlainFile] = useState(false);
  const [written, setWritten] = useState<{ path: string; context: string } | null>(null);
  // The backend found an empty file at the path and wants a yes before writing into it.
  const mustConfirm = action.problem?.kind === 'needs-confirmation';

  async function submit() {
    const o = await action.run(() =>
      api.exportKubeconfig({
        clusterId,
        path: path.trim(),
        ...(confirmPlainFile ? { confirmPlainFile } : {}),
      }),
    );
    if (o.ok) setWritten(o.value);
  }

  function changePath(next: string) {
    setPath(next);
    action.clear();
  }

  return (
    <Dialog title="Export kubeconfig" onClose={onClose}>
      {written ? (
        <div className="dialog-body" role="status">
          <p>
            Written to <code className="mono">{written.path}</code> (readable only by you), context{' '}
            <code className="mono">{written.context}</code>.
          </p>
          <p>Try it:</p>
          <pre className="command">kubectl --kubeconfig {shellQuote(written.path)} get nodes</pre>
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
          <KubeconfigFileField
            path={path}
            onPathChange={changePath}
            error={action.problem?.fieldErrors.path}
            mustConfirm={mustConfirm}
            confirmPlainFile={confirmPlainFile}
            onConfirmChange={setConfirmPlainFile}
          />
          {action.problem && !action.problem.fieldErrors.path ? (
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
