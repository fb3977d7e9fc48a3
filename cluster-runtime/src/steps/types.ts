/**
 * The step contract cluster-runtime's bootstrap steps follow. cluster-runtime may not import
 * host-bootstrap (layer rule), so these are structurally identical local copies of the parts of
 * host-bootstrap's `bootstrap/types.ts` it needs: a step made here is assignable to that `Step`
 * and the backend composes both into one plan.
 *
 * Every step is check → apply → verify: a re-run whose check is satisfied changes nothing, and a
 * failed run resumes from its first unfinished step.
 *
 * @see ../../../host-bootstrap/src/bootstrap/types.ts (the runner's contract)
 * @see https://github.com/k0sproject/k0sctl/tree/main/phase — ordered phases over hosts
 */

/** The bootstrap phases whose steps live in cluster-runtime (DESIGN.md §4, steps 10–12). */
export type ClusterPhase = 'cluster-baseline' | 'kubeconfig' | 'smoke-test';

export interface CheckResult {
  /** True when the desired state is already in place (apply will be skipped). */
  satisfied: boolean;
  /** Plain words: what is in place or what will change. */
  detail: string;
}

export interface StepContext {
  /** Aborted when the user cancels. */
  signal: AbortSignal;
  /** Determinate progress inside apply (e.g. nodes Ready out of total). */
  progress(current: number, max: number, description: string): void;
  /** A log line for this step; the runner redacts secrets before storing it. */
  log(line: string): void;
}

/** A cluster-level step (host is always null: it talks to the Kubernetes API, not a host). */
export interface ClusterStep {
  key: string;
  phase: ClusterPhase;
  host: null;
  title: string;
  check(ctx: StepContext): Promise<CheckResult>;
  apply(ctx: StepContext): Promise<void>;
  verify(ctx: StepContext): Promise<CheckResult>;
}

/** A context for calling steps outside a runner (tests, CLI one-offs): no progress, no logs. */
export function quietContext(signal: AbortSignal = new AbortController().signal): StepContext {
  return { signal, progress: () => undefined, log: () => undefined };
}
