/**
 * What a terminal's status line says, from the backend's messages: pure, so units cover every
 * transition without a socket or an xterm.
 */
import type { TerminalOutput } from '@nodeless/backend/api';

export type TerminalState =
  | { kind: 'connecting' }
  | { kind: 'open'; shell: string; container: string; protocol: string }
  | { kind: 'exited'; code: number }
  | { kind: 'failed'; message: string }
  | { kind: 'closed' };

/** The state after `m` (stdout leaves it as it is). */
export function nextState(state: TerminalState, m: TerminalOutput): TerminalState {
  switch (m.type) {
    case 'opened':
      return { kind: 'open', shell: m.shell, container: m.container, protocol: m.protocol };
    case 'exit':
      return { kind: 'exited', code: m.code };
    case 'error':
      return { kind: 'failed', message: m.message };
    case 'stdout':
      return state;
  }
}

/** The state once the socket closed: an exit or failure stays; anything else lost its link. */
export function closedState(state: TerminalState): TerminalState {
  if (state.kind === 'exited' || state.kind === 'failed') return state;
  if (state.kind === 'connecting')
    return { kind: 'failed', message: 'The terminal could not connect to Nodeless.' };
  return { kind: 'closed' };
}

/** The status line in words. */
export function describeState(state: TerminalState): string {
  switch (state.kind) {
    case 'connecting':
      return 'Connecting…';
    case 'open':
      return `${state.shell} in ${state.container}`;
    case 'exited':
      return state.code === 0
        ? 'The shell exited (status 0).'
        : `The shell exited with status ${state.code}.`;
    case 'failed':
      return state.message;
    case 'closed':
      return 'The connection closed.';
  }
}
