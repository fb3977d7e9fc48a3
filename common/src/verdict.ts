/**
 * Preflight verdicts (DESIGN.md §4 step 4): every checked rule is `block`, `warn` or `ok`, with a
 * one-line reason and what to do about it. host-bootstrap makes them, backend returns them from
 * its API as they are, the renderer and the CLI show them.
 *
 * @see ../../../shared/DESIGN.md §4 — preflight verdicts per host, each with a remedy
 * @see https://github.com/k0sproject/k0sctl/blob/main/phase/validate_hosts.go
 */

/** Severity: block stops the install, warn is shown, ok is a passed check. */
export type VerdictLevel = 'block' | 'warn' | 'ok';

/** One checked rule with a one-line reason and what to do. */
export interface Verdict {
  readonly rule: string;
  readonly level: VerdictLevel;
  readonly reason: string;
  /** What to do; empty for `ok`. */
  readonly remedy: string;
}

/** Which sandbox a host can run. */
export type SandboxReadiness = 'microvm-ready' | 'gvisor-only' | 'unsupported';

/** The node role of a host. */
export type HostRole = 'server' | 'agent';

/** The sandbox the cluster will use; `auto` = microVM where possible. */
export type SandboxChoice = 'microvm' | 'gvisor' | 'auto';

const ORDER: Record<VerdictLevel, number> = { ok: 0, warn: 1, block: 2 };

/** The most severe level among verdicts (`ok` for none). */
export function worstLevel(verdicts: readonly Verdict[]): VerdictLevel {
  return verdicts.reduce<VerdictLevel>((w, v) => (ORDER[v.level] > ORDER[w] ? v.level : w), 'ok');
}

export const ok = (rule: string, reason: string): Verdict => ({
  rule,
  level: 'ok',
  reason,
  remedy: '',
});
export const warn = (rule: string, reason: string, remedy: string): Verdict => ({
  rule,
  level: 'warn',
  reason,
  remedy,
});
export const block = (rule: string, reason: string, remedy: string): Verdict => ({
  rule,
  level: 'block',
  reason,
  remedy,
});
