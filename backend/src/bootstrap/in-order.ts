/**
 * Runs the steps of one wave one after another. The engine runs a wave's steps in parallel,
 * but cluster-runtime's baseline steps depend on each other (the policy ConfigMap lives in
 * the namespace the first step creates), so each wrapped step's check waits until the one
 * before it has settled (unchanged, verified, or failed).
 *
 * Only for runs: a preview calls checks alone, so a step whose predecessor "will change"
 * would wait forever; previews use the steps unwrapped.
 */
import type { Step } from './engine.ts';

export function inOrder(steps: readonly Step[]): Step[] {
  let previous: Promise<void> = Promise.resolve();
  return steps.map((step) => {
    const before = previous;
    let settle: () => void = () => undefined;
    previous = new Promise<void>((resolve) => (settle = resolve));
    async function guard<T>(fn: () => Promise<T>, last: (value: T) => boolean): Promise<T> {
      try {
        const value = await fn();
        if (last(value)) settle();
        return value;
      } catch (error) {
        settle();
        throw error;
      }
    }
    return {
      key: step.key,
      phase: step.phase,
      host: step.host,
      title: step.title,
      check: async (ctx) => {
        await before;
        return guard(
          () => step.check(ctx),
          (r) => r.satisfied,
        );
      },
      apply: (ctx) =>
        guard(
          () => step.apply(ctx),
          () => false,
        ),
      verify: (ctx) =>
        guard(
          () => step.verify(ctx),
          () => true,
        ),
    };
  });
}
