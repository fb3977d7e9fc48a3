/**
 * Runs one API call for a view and keeps its pending flag and its {@link Problem}.
 * Views render `problem.fieldErrors` next to fields and `problem.message` in an alert.
 */
import { useCallback, useState } from 'react';
import { toProblem, type Problem } from '../api/problems.ts';

export type Outcome<T> = { ok: true; value: T } | { ok: false };

export interface Action {
  pending: boolean;
  problem: Problem | null;
  /** Runs the call; on failure the outcome is `{ ok: false }` and `problem` is set. */
  run<T>(call: () => Promise<T>): Promise<Outcome<T>>;
  clear(): void;
}

export function useAction(): Action {
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = useCallback(async <T>(call: () => Promise<T>): Promise<Outcome<T>> => {
    setPending(true);
    setProblem(null);
    try {
      return { ok: true, value: await call() };
    } catch (err) {
      setProblem(toProblem(err));
      return { ok: false };
    } finally {
      setPending(false);
    }
  }, []);
  const clear = useCallback(() => setProblem(null), []);
  return { pending, problem, run, clear };
}
