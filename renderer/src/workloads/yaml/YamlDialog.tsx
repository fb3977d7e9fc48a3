/**
 * Apply YAML: a multi-document manifest (or one existing object opened for editing) in a
 * CodeMirror editor (loaded on first use, its own chunk), a server-side dry run that shows per object whether it would be created,
 * changed or left as is with the diff, and Apply — all or nothing. Syntax errors are marked as
 * you type and block both buttons; the server's refusals are marked at the line of the field
 * they name and listed with a link to that line. Conflicts: another field manager owns a field
 * ("Apply anyway" forces), or the edited object changed on the server (reload or overwrite).
 *
 * @see ../../../../backend/src/workloads/yaml/service.ts
 */
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { YamlAnswer, YamlApplyAnswer, YamlOpened } from '@nodeless/backend/api';
import type { WorkloadsYamlApi } from '../../api/workloads-yaml-api.ts';
import { useWorkloadsYamlApi } from '../../ui/app-context.tsx';
import { ProblemText } from '../../install/ProblemText.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { useAction } from '../../ui/use-action.ts';
import { YamlDiff } from './YamlDiff.tsx';
import type { LineProblem } from './syntax.ts';
import './yaml.css';

export interface YamlObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface YamlDialogProps {
  clusterId: string;
  /** Edit this existing object; absent: a new manifest. */
  edit?: YamlObjectRef;
  onClose: () => void;
  /** The API (a fake in tests); default: the window's (AppDeps). */
  api?: WorkloadsYamlApi;
  /** The text a new manifest starts with. */
  initialText?: string;
}

/**
 * The editor (CodeMirror, ~115 KB gzip) is its own chunk, fetched when a YAML dialog first
 * opens: the window's first paint does not wait for an editor most visits never show.
 */
const YamlEditor = lazy(() => import('./YamlEditor.tsx').then((m) => ({ default: m.YamlEditor })));

const ACTION_WORDS = { created: 'created', changed: 'changed', unchanged: 'unchanged' } as const;

const refText = (r: YamlObjectRef) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

export function YamlDialog(props: YamlDialogProps) {
  const windowApi = useWorkloadsYamlApi();
  const api = props.api ?? windowApi;
  const action = useAction();
  const [text, setText] = useState(props.initialText ?? '');
  const [opened, setOpened] = useState<YamlOpened | null>(null);
  const [syntax, setSyntax] = useState<LineProblem[]>([]);
  const [answer, setAnswer] = useState<YamlAnswer | YamlApplyAnswer | null>(null);
  const [overwrite, setOverwrite] = useState(false);
  const [focusLine, setFocusLine] = useState<{ line: number } | undefined>(undefined);
  const editing = props.edit;

  useEffect(() => {
    if (!editing) return;
    void action
      .run(() => api.get({ clusterId: props.clusterId, ref: editing }))
      .then((o) => {
        if (!o.ok) return;
        setOpened(o.value);
        setText(o.value.text);
      });
    // Opened once per dialog.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const problems = useMemo<LineProblem[]>(
    () => [
      ...(answer?.problems ?? []).map((p) => ({
        line: p.line,
        message: p.field ? `${p.field}: ${p.message}` : p.message,
      })),
      ...(answer?.conflicts ?? []).map((c) => ({
        line: c.line,
        message: `${c.field} is managed by ${c.manager}`,
      })),
    ],
    [answer],
  );

  function edited(next: string) {
    setText(next);
    if (answer) setAnswer(null);
  }

  async function run(kind: 'dryRun' | 'apply', force = false) {
    const input = {
      clusterId: props.clusterId,
      text,
      ...(force ? { force } : {}),
      ...(opened
        ? {
            edit: {
              ref: opened.ref,
              resourceVersion: opened.resourceVersion,
              original: opened.text,
            },
            ...(overwrite ? { overwrite } : {}),
          }
        : {}),
    };
    const o = await action.run(() => (kind === 'dryRun' ? api.dryRun(input) : api.apply(input)));
    if (o.ok) setAnswer(o.value);
  }

  function reload() {
    const c = answer?.editConflict;
    if (!c || !opened) return;
    setOpened({ ...opened, text: c.text, resourceVersion: c.resourceVersion });
    setText(c.text);
    setAnswer(null);
    setOverwrite(false);
  }

  const applied = answer && 'applied' in answer && answer.applied;
  const blocked = syntax.length > 0 || text.trim() === '' || action.pending;
  const title = editing ? `Edit ${refText(editing)}` : 'Apply YAML';

  return (
    <Dialog title={title} onClose={props.onClose} wide>
      <div className="dialog-body yaml-dialog">
        <p className="hint" id="yaml-hint">
          One or more objects separated by <code>---</code>. The cluster checks every object against
          its own schema and admission rules before anything is applied; nothing is applied unless
          all pass.
        </p>
        <Suspense fallback={<p className="muted yaml-loading">Loading the editor…</p>}>
          <YamlEditor
            value={text}
            onChange={edited}
            problems={problems}
            onSyntax={setSyntax}
            label={editing ? `YAML of ${refText(editing)}` : 'YAML manifest'}
            focusLine={focusLine}
          />
        </Suspense>
        {syntax.length > 0 ? (
          <ul className="yaml-problems" aria-label="YAML syntax errors">
            {syntax.map((s) => (
              <li key={`${s.line}:${s.message}`}>
                <button
                  type="button"
                  className="link"
                  onClick={() => setFocusLine({ line: s.line })}
                >
                  Line {s.line}
                </button>
                : {s.message}
              </li>
            ))}
          </ul>
        ) : null}
        {answer?.problems.length ? (
          <div className="yaml-banner yaml-banner-error" role="alert">
            <p>
              {answer.problems.length === 1
                ? 'The cluster refused one field'
                : `The cluster refused ${answer.problems.length} things`}
              ; nothing was applied.
            </p>
            <ul className="yaml-problems" aria-label="Refused fields">
              {answer.problems.map((p) => (
                <li key={`${p.document}:${p.line}:${p.field ?? ''}:${p.message}`}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => setFocusLine({ line: p.line })}
                  >
                    Line {p.line}
                  </button>
                  {p.field ? (
                    <>
                      {' '}
                      <code>{p.field}</code>
                    </>
                  ) : null}
                  : {p.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {answer?.conflicts.length ? (
          <div className="yaml-banner yaml-banner-warn" role="alert">
            <p>
              Other tools manage fields this manifest changes. Apply anyway to take them over (they
              may change them back).
            </p>
            <ul className="yaml-problems" aria-label="Field conflicts">
              {answer.conflicts.map((c) => (
                <li key={`${c.document}:${c.field}`}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => setFocusLine({ line: c.line })}
                  >
                    Line {c.line}
                  </button>{' '}
                  <code>{c.field}</code> of {refText(c.ref)} is managed by{' '}
                  <strong>{c.manager}</strong>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {answer?.editConflict ? (
          <div className="yaml-banner yaml-banner-warn" role="alert">
            <p>
              {refText(answer.editConflict.ref)} changed on the cluster since you opened it. Reload
              to start from the current object (your edits are lost), or overwrite with yours.
            </p>
            <YamlDiff diff={answer.editConflict.diff} label="What changed on the cluster" />
          </div>
        ) : null}
        {answer &&
        answer.objects.length > 0 &&
        answer.problems.length === 0 &&
        answer.conflicts.length === 0 &&
        !answer.editConflict ? (
          <section aria-label={applied ? 'Applied objects' : 'Dry run'} className="yaml-outcomes">
            <h3>{applied ? 'Applied' : 'Dry run: what would change'}</h3>
            <ul>
              {answer.objects.map((o) => (
                <li key={`${o.document}:${refText(o.ref)}`}>
                  <p>
                    <strong>{refText(o.ref)}</strong>{' '}
                    <span className={`yaml-action yaml-action-${o.action}`}>
                      {applied && o.action !== 'unchanged'
                        ? `${ACTION_WORDS[o.action]}`
                        : `would be ${ACTION_WORDS[o.action]}`}
                    </span>
                    {o.note ? <span className="hint"> — {o.note}</span> : null}
                  </p>
                  {o.diff ? <YamlDiff diff={o.diff} label={`Diff of ${refText(o.ref)}`} /> : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {action.problem ? <ProblemText problem={action.problem} /> : null}
        <footer className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            {applied ? 'Close' : 'Cancel'}
          </button>
          {answer?.editConflict ? (
            <>
              <button type="button" onClick={reload}>
                Reload
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  setOverwrite(true);
                  setAnswer(null);
                }}
              >
                Overwrite
              </button>
            </>
          ) : null}
          <button type="button" disabled={blocked} onClick={() => void run('dryRun')}>
            {action.pending ? 'Checking…' : 'Dry run'}
          </button>
          {answer?.conflicts.length ? (
            <button
              type="button"
              className="danger"
              disabled={blocked}
              onClick={() => void run('apply', true)}
            >
              Apply anyway
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              disabled={blocked || Boolean(answer?.editConflict)}
              onClick={() => void run('apply')}
            >
              Apply
            </button>
          )}
        </footer>
      </div>
    </Dialog>
  );
}
