/**
 * One terminal: an xterm.js screen on one backend terminal socket. Keystrokes go out as stdin,
 * output is written as it comes, and the fit addon sizes the screen to its pane — on mount and
 * whenever the pane changes size (a ResizeObserver, so a dragged drawer or a resized window both
 * count) — and each new size goes to the shell as a resize (`stty size` follows). The status line
 * says which shell runs, the exit status, or why the terminal failed, in words.
 *
 * @see https://xtermjs.org/docs/api/terminal/classes/terminal/
 * @see https://github.com/xtermjs/xterm.js/tree/master/addons/addon-fit
 */
import { useEffect, useRef, useState } from 'react';
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { TerminalTarget } from '@nodeless/backend/api';
import type { ExecApi } from '../api/exec-api.ts';
import { closedState, describeState, nextState, type TerminalState } from './terminal-state.ts';

/** The page's colours (styles.css variables), so light and dark both read well. */
function themeOf(el: HTMLElement): ITheme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string): string =>
    css.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--surface', '#ffffff'),
    foreground: v('--text', '#1b1f24'),
    cursor: v('--accent', '#2563eb'),
    selectionBackground: v('--accent-soft', '#e6eefc'),
  };
}

export function TerminalView(props: {
  api: ExecApi;
  target: TerminalTarget;
  /** Focus the screen when it opens (a new terminal the user just asked for). */
  autoFocus?: boolean;
  onState?(state: TerminalState): void;
}) {
  const { api, target, autoFocus, onState } = props;
  const screen = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<TerminalState>({ kind: 'connecting' });
  const onStateRef = useRef(onState);
  useEffect(() => {
    onStateRef.current = onState;
  }, [onState]);
  const { clusterId, namespace, pod, container } = target;

  useEffect(() => {
    const el = screen.current;
    if (!el) return;
    let current: TerminalState = { kind: 'connecting' };
    const update = (s: TerminalState): void => {
      current = s;
      setState(s);
      onStateRef.current?.(s);
    };
    const term = new Terminal({
      cursorBlink: true,
      fontSize: 13,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      theme: themeOf(el),
      scrollback: 5000,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    const socket = api.open(
      { clusterId, namespace, pod, ...(container === undefined ? {} : { container }) },
      {
        onMessage(m) {
          if (m.type === 'stdout') term.write(m.data);
          else update(nextState(current, m));
        },
        onClose() {
          update(closedState(current));
        },
      },
    );
    const sizeChanged = term.onResize(({ cols, rows }) =>
      socket.send({ type: 'resize', cols, rows }),
    );
    const typed = term.onData((data) => socket.send({ type: 'stdin', data }));
    const refit = (): void => {
      if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit();
    };
    refit();
    // The first size, even when fit() found it unchanged (xterm's default 80×24).
    socket.send({ type: 'resize', cols: term.cols, rows: term.rows });
    const observer = new ResizeObserver(refit);
    observer.observe(el);
    // The app follows the OS's light/dark; the screen's colours follow it too.
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const retheme = (): void => {
      term.options.theme = themeOf(el);
    };
    scheme.addEventListener('change', retheme);
    if (autoFocus) term.focus();
    return () => {
      observer.disconnect();
      scheme.removeEventListener('change', retheme);
      sizeChanged.dispose();
      typed.dispose();
      socket.close();
      term.dispose();
    };
  }, [api, clusterId, namespace, pod, container, autoFocus]);

  const ended = state.kind === 'exited' || state.kind === 'failed' || state.kind === 'closed';
  return (
    <div className="terminal-view" data-state={state.kind}>
      <div className="terminal-screen" ref={screen} aria-label={`Terminal in ${pod}`} />
      <p
        className={
          state.kind === 'failed' ? 'terminal-status form-error' : 'terminal-status muted small'
        }
        role={ended ? 'alert' : 'status'}
      >
        {describeState(state)}
      </p>
    </div>
  );
}
