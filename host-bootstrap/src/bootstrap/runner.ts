/**
 * The plan runner: waves in order, the steps of one wave in parallel up to a concurrency
 * limit, every step check → apply → verify (k0sctl's phase loop with Rancher Desktop's
 * progress-as-data). A failed step stops its host (later steps "not run"); the other hosts of
 * that wave finish, so every host is left between two steps, never inside one, and the run
 * ends `failed` after the wave. Cancel stops after the steps in flight. Every state goes to
 * the journal and to `onEvent`; log lines are redacted before they are stored.
 *
 * Resume needs no special path: running the same plan again finds the finished steps'
 * checks satisfied (cheap, `unchanged`) and continues at the first unfinished one.
 *
 * @see https://github.com/k0sproject/k0sctl/blob/main/phase/manager.go — phases run in order
 * @see https://github.com/rancher-sandbox/rancher-desktop/blob/main/pkg/rancher-desktop/backend/progressTracker.ts
 */
import { mapWithConcurrency } from '../util/concurrency.ts';
import { messageOf, remedyOf } from './errors.ts';
import type {
  BootstrapEvent,
  CheckResult,
  RedactFn,
  Step,
  StepContext,
  StepState,
} from '@nodeless/common';
import type { Journal, Plan, PlanPreviewItem, RunOutcome } from './types.ts';

/** Options of {@link runPlan}. */
export interface RunOptions {
  readonly runId: string;
  readonly journal: Journal;
  /** Steps of one wave in flight at once (≥ 1). */
  readonly concurrency: number;
  readonly onEvent?: (event: BootstrapEvent) => void;
  /** Abort = cancel: steps in flight finish, the rest end `cancelled`. */
  readonly signal?: AbortSignal;
  /** Masks secrets in log lines, event descriptions and failure messages. */
  readonly redactor?: RedactFn;
  readonly clock?: () => Date;
}

const identity: RedactFn = (s) => s;

/** Progress as the UI draws it when a step has no finer measure: 0 of 1, then 1 of 1. */
const COARSE: Record<StepState, [number, number]> = {
  pending: [0, 1],
  checking: [0, 1],
  applying: [0, 1],
  verifying: [0, 1],
  unchanged: [1, 1],
  done: [1, 1],
  failed: [0, 1],
  cancelled: [0, 1],
};

interface Reporter {
  state(step: Step, state: StepState, description: string): void;
  /** Determinate progress inside a state: an event only (the journal keeps states). */
  progress(step: Step, state: StepState, current: number, max: number, description: string): void;
  log(step: Step, line: string): void;
}

function reporter(plan: Plan, options: RunOptions): Reporter {
  const redactor = options.redactor ?? identity;
  const clock = options.clock ?? (() => new Date());
  const emit = (step: Step, state: StepState, current: number, max: number, text: string) =>
    options.onEvent?.({
      cluster: plan.cluster,
      host: step.host,
      step: step.key,
      phase: step.phase,
      state,
      current,
      max,
      description: text,
    });
  return {
    state(step, state, description) {
      const safe = redactor(description);
      options.journal.record({
        runId: options.runId,
        step: step.key,
        state,
        detail: safe,
        updatedAt: clock().toISOString(),
      });
      emit(step, state, ...COARSE[state], safe);
    },
    progress(step, state, current, max, description) {
      emit(step, state, current, max, redactor(description));
    },
    log(step, line) {
      options.journal.log(options.runId, step.key, redactor(line));
    },
  };
}

function contextFor(
  step: Step,
  report: Reporter,
  signal: AbortSignal,
  phase: () => StepState,
): StepContext {
  return {
    signal,
    progress: (current, max, description) =>
      report.progress(step, phase(), current, max, description),
    log: (line) => report.log(step, line),
  };
}

type StepResult =
  | { kind: 'unchanged' | 'done' | 'cancelled' }
  | { kind: 'failed'; message: string; remedy: string | undefined };

async function runStep(step: Step, report: Reporter, signal: AbortSignal): Promise<StepResult> {
  let state: StepState = 'checking';
  const ctx = contextFor(step, report, signal, () => state);
  try {
    report.state(step, 'checking', `Checking: ${step.title}`);
    const check = await step.check(ctx);
    report.log(step, `check: ${check.detail}`);
    if (check.satisfied) {
      report.state(step, 'unchanged', check.detail);
      return { kind: 'unchanged' };
    }
    state = 'applying';
    report.state(step, 'applying', check.detail);
    await step.apply(ctx);
    state = 'verifying';
    report.state(step, 'verifying', `Verifying: ${step.title}`);
    const verify: CheckResult = await step.verify(ctx);
    report.log(step, `verify: ${verify.detail}`);
    if (!verify.satisfied) throw new Error(`${step.title} did not take: ${verify.detail}`);
    report.state(step, 'done', verify.detail);
    return { kind: 'done' };
  } catch (err) {
    const message = messageOf(err);
    report.log(step, `error: ${message}`);
    if (signal.aborted && (err as { name?: string }).name === 'AbortError') {
      report.state(step, 'cancelled', 'Cancelled while running.');
      return { kind: 'cancelled' };
    }
    report.state(step, 'failed', message);
    return { kind: 'failed', message, remedy: remedyOf(err) };
  }
}

/**
 * Runs `plan` and resolves with the outcome (it never rejects for a step failure; a failing
 * journal or event sink does reject).
 */
export async function runPlan(plan: Plan, options: RunOptions): Promise<RunOutcome> {
  const report = reporter(plan, options);
  const redactor = options.redactor ?? identity;
  const signal = options.signal ?? new AbortController().signal;
  const changed: string[] = [];
  const failed: RunOutcome['failed'] = [];
  let cancelled = false;

  for (const step of plan.waves.flat()) report.state(step, 'pending', step.title);

  let stop: 'failed' | undefined;
  for (const wave of plan.waves) {
    if (stop || signal.aborted) {
      for (const step of wave) {
        const why = stop ? 'Not run: an earlier step failed.' : 'Not run: the run was cancelled.';
        report.state(step, 'cancelled', why);
        if (!stop) cancelled = true;
      }
      continue;
    }
    const stoppedHosts = new Set<string>();
    await mapWithConcurrency(wave, options.concurrency, async (step) => {
      if (step.host !== null && stoppedHosts.has(step.host)) {
        report.state(step, 'cancelled', `Not run: an earlier step on ${step.host} failed.`);
        return;
      }
      if (signal.aborted) {
        cancelled = true;
        report.state(step, 'cancelled', 'Not run: the run was cancelled.');
        return;
      }
      const result = await runStep(step, report, signal);
      if (result.kind === 'done') changed.push(step.key);
      else if (result.kind === 'cancelled') cancelled = true;
      else if (result.kind === 'failed') {
        if (step.host !== null) stoppedHosts.add(step.host);
        failed.push({
          step: step.key,
          host: step.host,
          message: redactor(result.message),
          ...(result.remedy === undefined ? {} : { remedy: redactor(result.remedy) }),
        });
      }
    });
    if (failed.length > 0) stop = 'failed';
  }
  const state = failed.length > 0 ? 'failed' : cancelled ? 'cancelled' : 'succeeded';
  return { runId: options.runId, state, changed, failed };
}

/** Options of {@link previewPlan}. */
export interface PreviewOptions {
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly redactor?: RedactFn;
}

/**
 * Dry run: only the checks, nothing applied. A check that cannot run yet (it depends on an
 * earlier step, e.g. the join token of a server not installed) counts as "will change".
 */
export async function previewPlan(
  plan: Plan,
  options: PreviewOptions = {},
): Promise<PlanPreviewItem[]> {
  const redactor = options.redactor ?? identity;
  const signal = options.signal ?? new AbortController().signal;
  const ctx: StepContext = { signal, progress: () => undefined, log: () => undefined };
  const items: PlanPreviewItem[] = [];
  for (const wave of plan.waves) {
    const results = await mapWithConcurrency(wave, options.concurrency ?? 8, async (step) => {
      let check: CheckResult;
      try {
        check = await step.check(ctx);
      } catch (err) {
        check = {
          satisfied: false,
          detail: `Will be set up (cannot check yet: ${messageOf(err)})`,
        };
      }
      return {
        key: step.key,
        phase: step.phase,
        host: step.host,
        title: step.title,
        willChange: !check.satisfied,
        detail: redactor(check.detail),
      };
    });
    items.push(...results);
  }
  return items;
}
