/**
 * One API read as state: loading, its value, or its problem in words. A reload keeps showing
 * the previous value (marked `refreshing`) so the screen does not blink at every range change
 * or sync; an answer that arrives after a newer request started is dropped.
 */
import { useEffect, useState } from 'react';
import { toProblem } from '../api/problems.ts';

export type Loaded<T> =
  | { kind: 'loading' }
  | { kind: 'ok'; value: T; refreshing: boolean }
  | { kind: 'error'; message: string };

type Answer<T> = { kind: 'ok'; value: T } | { kind: 'error'; message: string };

/** Reads again whenever `key` (naming everything `read` depends on) changes. */
export function useLoad<T>(read: () => Promise<T>, key: string): Loaded<T> {
  const [answer, setAnswer] = useState<{ key: string; answer: Answer<T> }>();
  useEffect(() => {
    let live = true;
    read().then(
      (value) => live && setAnswer({ key, answer: { kind: 'ok', value } }),
      (err: unknown) =>
        live && setAnswer({ key, answer: { kind: 'error', message: toProblem(err).message } }),
    );
    return () => {
      live = false;
    };
    // `read` is a new closure every render; `key` says when it reads something else.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (!answer) return { kind: 'loading' };
  const current = answer.key === key;
  if (answer.answer.kind === 'ok') {
    return { kind: 'ok', value: answer.answer.value, refreshing: !current };
  }
  return current ? answer.answer : { kind: 'loading' };
}
