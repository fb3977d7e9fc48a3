/**
 * The terminal WebSocket's contract (`/api/terminal`): what the window and the backend say to
 * each other, as JSON text messages. One socket per terminal, so closing a terminal's socket
 * ends exactly that exec and nothing else of the window's.
 *
 * @see ./terminal-route.ts
 */

/** Where a terminal opens (the query of the upgrade URL). */
export interface TerminalTarget {
  clusterId: string;
  namespace: string;
  pod: string;
  /** Default: the pod's `kubectl.kubernetes.io/default-container`, else its first. */
  container?: string;
}

/** The path of the terminal WebSocket. */
export const TERMINAL_PATH = '/api/terminal';

/** Window → backend. */
export type TerminalInput =
  { type: 'stdin'; data: string } | { type: 'resize'; cols: number; rows: number };

/** Backend → window. */
export type TerminalOutput =
  /** The shell started: which one (after the bash → sh probe) and the subprotocol spoken. */
  | { type: 'opened'; shell: string; container: string; protocol: string }
  | { type: 'stdout'; data: string }
  /** The shell ended with this status (`exit 3` → 3). */
  | { type: 'exit'; code: number }
  /** The terminal could not open or broke: in words (RBAC refusal, no shell, pod gone). */
  | { type: 'error'; message: string };
