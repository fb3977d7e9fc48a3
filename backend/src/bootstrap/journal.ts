/**
 * The engine's {@link Journal} on SQLite: every step state goes to `run_steps` (the last one
 * per step wins, in plan order), every already-redacted log line to `run_logs` (bounded per
 * run). Resume reads nothing special from here: the runner re-checks finished steps, which
 * are cheap and `unchanged`; the journal is what the run view and a restarted app show.
 *
 * @see ../../../host-bootstrap/src/bootstrap/types.ts — `Journal`
 * @see ../../../host-bootstrap/src/bootstrap/memory-journal.ts — the in-memory twin
 */
import type { Store } from '../store/store.ts';
import type { Step } from '@nodeless/common';
import type { Journal, JournalEntry } from './engine.ts';

/** Where each step sits in the plan (the journal's entries carry only key and state). */
export interface StepMeta {
  seq: number;
  phase: string;
  hostId: string | null;
}

export function stepIndex(steps: readonly Step[]): Map<string, StepMeta> {
  return new Map(steps.map((s, seq) => [s.key, { seq, phase: s.phase, hostId: s.host }]));
}

const COARSE_DONE = new Set(['unchanged', 'done']);

export class SqliteJournal implements Journal {
  readonly #store: Store;
  readonly #steps: ReadonlyMap<string, StepMeta>;
  readonly #clock: () => Date;
  readonly #onLog: (runId: string, step: string, line: string) => void;

  constructor(
    store: Store,
    steps: ReadonlyMap<string, StepMeta>,
    clock: () => Date,
    onLog: (runId: string, step: string, line: string) => void = () => undefined,
  ) {
    this.#store = store;
    this.#steps = steps;
    this.#clock = clock;
    this.#onLog = onLog;
  }

  entries(runId: string): JournalEntry[] {
    return this.#store.runSteps.listByRun(runId).map((r) => ({
      runId,
      step: r.step,
      state: r.state as JournalEntry['state'],
      detail: r.detail,
      updatedAt: r.updated_at,
    }));
  }

  record(entry: JournalEntry): void {
    // The backend closed under a run still in flight: the run was marked interrupted.
    if (!this.#store.db.open) return;
    const meta = this.#steps.get(entry.step);
    const done = COARSE_DONE.has(entry.state);
    this.#store.runSteps.upsert({
      run_id: entry.runId,
      step: entry.step,
      seq: meta?.seq ?? this.#steps.size,
      phase: meta?.phase ?? 'prepare-os',
      host_id: meta?.hostId ?? null,
      state: entry.state,
      current: done ? 1 : 0,
      max: 1,
      description: entry.detail,
      detail: entry.detail,
      updated_at: entry.updatedAt,
    });
  }

  log(runId: string, step: string, line: string): void {
    if (!this.#store.db.open) return;
    this.#store.runLogs.append(runId, step, this.#clock().toISOString(), line);
    this.#onLog(runId, step, line);
  }
}
