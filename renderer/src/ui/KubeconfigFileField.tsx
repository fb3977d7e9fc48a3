/**
 * Where an exported kubeconfig goes, shared by every export dialog (cluster admin, tenant):
 * the "Save to" path (the backend resolves `~`, writes 0600 and merges an existing kubeconfig)
 * and, after the backend answered 412 for an empty file there, the yes to write into it. A
 * confirmation is for one file only, so a new path clears it.
 */
import { Field } from './Field.tsx';

/** Quotes a path for a POSIX shell when it needs it (the "try it" command under a result). */
export function shellQuote(p: string): string {
  return /^[\w@%+=:,./~-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

export function KubeconfigFileField(props: {
  path: string;
  onPathChange(next: string): void;
  error: string | undefined;
  /** The backend found an empty file at the path and wants a yes before writing into it. */
  mustConfirm: boolean;
  confirmPlainFile: boolean;
  onConfirmChange(next: boolean): void;
}) {
  const { path, onPathChange, error, mustConfirm, confirmPlainFile, onConfirmChange } = props;
  return (
    <>
      <Field
        label="Save to"
        value={path}
        onChange={(next) => {
          onConfirmChange(false);
          onPathChange(next);
        }}
        hint="A path on this computer; ~ is your home folder. The file is written with mode 0600; an existing kubeconfig there keeps its other clusters and contexts."
        error={error}
        spellCheck={false}
        autoFocus
      />
      {mustConfirm || confirmPlainFile ? (
        <label className="check">
          <input
            type="checkbox"
            checked={confirmPlainFile}
            onChange={(e) => onConfirmChange(e.target.checked)}
          />
          Write the kubeconfig into this empty file
        </label>
      ) : null}
    </>
  );
}
