/**
 * "Import kubeconfig": a file (read here, in the page, and sent as text), a path the backend
 * reads, or pasted text → the contexts it holds (`previewKubeconfig`) → pick one, name the
 * cluster → `importKubeconfig` → the new cluster's Overview. Every error is shown next to the
 * field it names (`text`, `path`, `context`, `name`); anything else above the buttons.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { KubeconfigContextChoice } from '@nodeless/backend/api';
import type { KubeconfigSource } from '../api/workspace-api.ts';
import { fieldMessage } from '../api/problems.ts';
import { useWorkspaceApi, useWorkspaceHub } from '../ui/app-context.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Choice, Field } from '../ui/Field.tsx';
import { navigate } from '../ui/use-route.ts';
import { useAction } from '../ui/use-action.ts';

type Mode = 'file' | 'path' | 'text';

const AUTH_WORDS: Record<KubeconfigContextChoice['auth'], string> = {
  certificate: 'client certificate',
  token: 'token',
  exec: 'exec plugin',
  basic: 'user name and password',
  none: 'no credentials',
};

function authText(c: KubeconfigContextChoice): string {
  return c.auth === 'exec' && c.execCommand ? `exec plugin “${c.execCommand}”` : AUTH_WORDS[c.auth];
}

export function ImportKubeconfigDialog({ onClose }: { onClose(): void }) {
  const api = useWorkspaceApi();
  const hub = useWorkspaceHub();
  const preview = useAction();
  const importing = useAction();
  const id = useId();
  const [mode, setMode] = useState<Mode>('file');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [path, setPath] = useState('');
  const [contexts, setContexts] = useState<KubeconfigContextChoice[] | null>(null);
  const [context, setContext] = useState('');
  const [name, setName] = useState('');

  // The chosen file is read asynchronously; a quick "Read contexts" waits for it.
  const fileText = useRef<Promise<string>>(Promise.resolve(''));
  const source = async (): Promise<KubeconfigSource> =>
    mode === 'path' ? { path } : { text: mode === 'file' ? await fileText.current : text };
  const reset = () => {
    setContexts(null);
    preview.clear();
    importing.clear();
  };

  async function readContexts(e: FormEvent) {
    e.preventDefault();
    const outcome = await preview.run(async () => api.previewKubeconfig(await source()));
    if (!outcome.ok) return;
    const list = outcome.value;
    setContexts(list);
    const pick = list.find((c) => c.current && !c.problem) ?? list.find((c) => !c.problem);
    setContext(pick?.name ?? '');
    setName(pick?.name ?? '');
  }

  async function doImport(e: FormEvent) {
    e.preventDefault();
    const outcome = await importing.run(async () =>
      api.importKubeconfig({ ...(await source()), name, context }),
    );
    if (!outcome.ok) return;
    await hub.whenListed(outcome.value.id);
    onClose();
    navigate({ kind: 'cluster', clusterId: outcome.value.id, section: 'overview' });
  }

  const problem = importing.problem ?? preview.problem;
  const fe = problem?.fieldErrors ?? {};
  const sourceError = mode === 'path' ? fe.path : fe.text;
  const otherError =
    problem && !fe.text && !fe.path && !fe.name && !fe.context ? problem.message : undefined;

  return (
    <Dialog title="Import a kubeconfig" onClose={onClose} wide>
      <form
        className="host-form"
        onSubmit={(e) => void (contexts ? doImport(e) : readContexts(e))}
        noValidate
      >
        <Choice
          legend="Kubeconfig from"
          name={`${id}-mode`}
          value={mode}
          options={[
            { value: 'file', label: 'A file' },
            { value: 'path', label: 'A path' },
            { value: 'text', label: 'Pasted text' },
          ]}
          onChange={(m) => {
            setMode(m);
            reset();
          }}
        />
        {mode === 'file' ? (
          <div className="field">
            <label htmlFor={`${id}-file`}>Kubeconfig file</label>
            <input
              id={`${id}-file`}
              type="file"
              aria-invalid={sourceError ? true : undefined}
              aria-describedby={sourceError ? `${id}-src-error` : undefined}
              onChange={(e) => {
                const file = e.target.files?.[0];
                reset();
                setFileName(file?.name ?? '');
                fileText.current = file ? file.text() : Promise.resolve('');
              }}
            />
            {fileName ? <p className="hint">Read in this window and sent as text.</p> : null}
          </div>
        ) : null}
        {mode === 'path' ? (
          <Field
            label="Path to the kubeconfig"
            value={path}
            onChange={(v) => {
              setPath(v);
              reset();
            }}
            placeholder="~/.kube/config"
            hint="Read by Nodeless on this computer; re-read when the file changes."
            spellCheck={false}
            autoCapitalize="off"
            error={fe.path}
          />
        ) : null}
        {mode === 'text' ? (
          <div className="field">
            <label htmlFor={`${id}-text`}>Kubeconfig text</label>
            <textarea
              id={`${id}-text`}
              className="mono"
              rows={8}
              value={text}
              spellCheck={false}
              aria-invalid={sourceError ? true : undefined}
              aria-describedby={sourceError ? `${id}-src-error` : undefined}
              onChange={(e) => {
                setText(e.target.value);
                reset();
              }}
            />
          </div>
        ) : null}
        {sourceError && mode !== 'path' ? (
          <p id={`${id}-src-error`} className="field-error" role="alert">
            {fieldMessage('The kubeconfig', sourceError)}
          </p>
        ) : null}
        {contexts ? (
          <ContextPicker
            contexts={contexts}
            value={context}
            error={fe.context}
            onChange={(c) => {
              setContext(c);
              setName(c);
            }}
          />
        ) : null}
        {contexts ? (
          <Field
            label="Cluster name"
            value={name}
            onChange={setName}
            error={fe.name}
            hint="How the cluster is called in Nodeless."
            spellCheck={false}
            autoCapitalize="off"
          />
        ) : null}
        {otherError ? (
          <p className="form-error" role="alert">
            {otherError}
          </p>
        ) : null}
        <footer className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {contexts ? (
            <button type="submit" className="primary" disabled={importing.pending || !context}>
              {importing.pending ? 'Importing…' : 'Import cluster'}
            </button>
          ) : (
            <button type="submit" className="primary" disabled={preview.pending}>
              {preview.pending ? 'Reading…' : 'Read contexts'}
            </button>
          )}
        </footer>
      </form>
    </Dialog>
  );
}

function ContextPicker(props: {
  contexts: KubeconfigContextChoice[];
  value: string;
  error: string | undefined;
  onChange(name: string): void;
}) {
  const { contexts, value, error, onChange } = props;
  const id = useId();
  if (contexts.length === 0) {
    return (
      <p className="form-error" role="alert">
        This kubeconfig has no contexts to import.
      </p>
    );
  }
  return (
    <fieldset className="contexts" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Context</legend>
      {contexts.map((c) => (
        <label key={c.name} className={c.problem ? 'context disabled' : 'context'}>
          <input
            type="radio"
            name={`${id}-context`}
            value={c.name}
            checked={value === c.name}
            disabled={c.problem !== undefined}
            onChange={() => onChange(c.name)}
          />
          <span>
            <strong>{c.name}</strong>
            {c.current ? <span className="badge">current</span> : null}
            <span className="muted small mono"> {c.server}</span>
            <span className="muted small">
              {' '}
              · user {c.user} · {authText(c)}
            </span>
            {c.problem ? <span className="field-error small"> {c.problem}</span> : null}
          </span>
        </label>
      ))}
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {fieldMessage('Context', error)}
        </p>
      ) : null}
    </fieldset>
  );
}
