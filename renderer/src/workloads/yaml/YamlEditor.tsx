/**
 * The YAML editor: CodeMirror 6 with YAML highlighting, line numbers, undo history and lint
 * marks. Syntax errors are found here, as you type, by the same parser the backend uses (the
 * `yaml` package), so nothing malformed is sent; the server's refusals are handed in as
 * `problems` and marked at their lines too.
 *
 * CodeMirror over Monaco: a minimal YAML editor bundles to ~350 KB (~115 KB gzip) against
 * Monaco's ~3.9 MB (~1 MB gzip) before its web workers, and CodeMirror's content is a plain
 * contenteditable that screen readers read as a text box. Tab is left to move focus (no
 * tab-trapping; CodeMirror's `indentWithTab` is deliberately not used) and Escape reaches the
 * dialog, so the editor is never a keyboard trap.
 *
 * @see https://codemirror.net/docs/ref/#lint
 * @see https://codemirror.net/examples/tab/ (why Tab is not bound)
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, linter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { syntaxProblems, type LineProblem } from './syntax.ts';

export type { LineProblem } from './syntax.ts';

export interface YamlEditorProps {
  value: string;
  onChange(text: string): void;
  /** The server's refusals, marked at their lines. */
  problems: readonly LineProblem[];
  /** Called with the syntax errors found as the text changes (empty when it parses). */
  onSyntax?(problems: LineProblem[]): void;
  label: string;
  /** Puts the cursor on this line and focuses the editor when it changes. */
  focusLine?: { line: number } | undefined;
}

const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: 'var(--accent)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--ok)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--warn)' },
  { tag: [tags.comment, tags.meta, tags.punctuation, tags.separator], color: 'var(--muted)' },
]);

const theme = EditorView.theme({
  '&': {
    backgroundColor: 'var(--surface)',
    color: 'var(--text)',
    border: '1px solid var(--border)',
    borderRadius: 'var(--radius)',
    fontSize: '13px',
  },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '1px' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
  '.cm-gutters': {
    backgroundColor: 'var(--surface-2)',
    color: 'var(--muted)',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'transparent' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--accent-soft)',
  },
  '.cm-tooltip': {
    backgroundColor: 'var(--surface)',
    color: 'var(--text)',
    border: '1px solid var(--border)',
  },
});

function lineDiagnostics(view: EditorView, problems: readonly LineProblem[]): Diagnostic[] {
  const doc = view.state.doc;
  return problems
    .filter((p) => p.line >= 1 && p.line <= doc.lines)
    .map((p) => {
      const line = doc.line(p.line);
      const indent = /^\s*/.exec(line.text)?.[0].length ?? 0;
      return { from: line.from + indent, to: line.to, severity: 'error', message: p.message };
    });
}

export function YamlEditor(props: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: latest.current.value,
        extensions: [
          lineNumbers(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          yaml(),
          syntaxHighlighting(highlight),
          lintGutter(),
          linter(
            (ev) => {
              const syntax = syntaxProblems(ev.state.doc.toString());
              latest.current.onSyntax?.(syntax);
              return lineDiagnostics(ev, [...syntax, ...latest.current.problems]);
            },
            { delay: 300 },
          ),
          theme,
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({
            'aria-label': latest.current.label,
            'aria-multiline': 'true',
          }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
  }, []);

  // Text replaced from outside (reload after a conflict): swap the document.
  useEffect(() => {
    const v = view.current;
    if (!v || v.state.doc.toString() === props.value) return;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: props.value } });
  }, [props.value]);

  // The server's answer arrives without a text change, when no lint run is pending
  // (forceLinting would do nothing): set the marks directly; the next edit's run replaces them.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const syntax = syntaxProblems(v.state.doc.toString());
    const marks = lineDiagnostics(v, [...syntax, ...props.problems]);
    v.dispatch(setDiagnostics(v.state, marks));
    // Show the first refused line (without taking the focus from the button pressed).
    const first = marks[0];
    if (first) v.dispatch({ effects: EditorView.scrollIntoView(first.from, { y: 'center' }) });
  }, [props.problems]);

  useEffect(() => {
    const v = view.current;
    const target = props.focusLine;
    if (!v || !target || target.line < 1 || target.line > v.state.doc.lines) return;
    const line = v.state.doc.line(target.line);
    v.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
    v.focus();
  }, [props.focusLine]);

  return <div ref={host} className="yaml-editor" data-testid="yaml-editor" />;
}
