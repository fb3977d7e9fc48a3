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
import { Field } from '../ui/Field.tsx';
import { useAction } from '../ui/use-action.ts';
import { ProblemText } from './ProblemText.tsx';

export interface ExportDialogProps {
  clusterId: string;
  clusterName: string;
  onClose(): void;
}

/** Quotes a path for a POSIX shell when it needs it. */
function shellQuote(p: string): string {
  return /^[\w@%+=:,./~-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
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
    // A confirmation is for one file only.
    setConfirmPlainFile(false);
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
          <Field
            label="Save to"
            value={path}
            onChange={changePath}
            hint="A path on this computer; ~ is your home folder. The file is written with mode 0600; an existing kubeconfig there keeps its other clusters and contexts."
            error={action.problem?.fieldErrors.path}
            spellCheck={false}
            autoFocus
          />
          {mustConfirm || confirmPlainFile ? (
            <label className="check">
              <input
                type="checkbox"
                checked={confirmPlainFile}
                onChange={(e) => setConfirmPlainFile(e.target.checked)}
              />
              Write the kubeconfig into this empty file
            </label>
          ) : null}
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
