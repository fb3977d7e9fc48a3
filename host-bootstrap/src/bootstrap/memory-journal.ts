/**
 * An in-memory {@link Journal}: for tests, the benchmark and one-shot CLI runs. The backend
 * implements the same interface on SQLite (`runs`, `run_steps`, `run_logs`).
 */
import type { Journal, JournalEntry } from './types.ts';

export class MemoryJournal implements Journal {
  readonly #entries = new Map<string, Map<string, JournalEntry>>();
  readonly #logs = new Map<string, Array<{ step: string; line: string }>>();

  entries(runId: string): JournalEntry[] {
    return [...(this.#entries.get(runId)?.values() ?? [])];
  }

  record(entry: JournalEntry): void {
    let run = this.#entries.get(entry.runId);
    if (!run) {
      run = new Map();
      this.#entries.set(entry.runId, run);
    }
    // Latest state per step wins; insertion order keeps the first-seen order of steps.
    run.set(entry.step, entry);
  }

  log(runId: string, step: string, line: string): void {
    let lines = this.#logs.get(runId);
    if (!lines) {
      lines = [];
      this.#logs.set(runId, lines);
    }
    lines.push({ step, line });
  }

  /** Log lines of a run (optionally of one step). */
  logs(runId: string, step?: string): string[] {
    return (this.#logs.get(runId) ?? [])
      .filter((l) => step === undefined || l.step === step)
      .map((l) => l.line);
  }
}
