/** The held-pods warning: counts, the Terminating ones, lower bounds; silent only for a real 0. */
import { describe, expect, it } from 'vitest';
import { heldPodsWarning } from './held-pods-model.ts';

describe('heldPodsWarning', () => {
  it('says how many pods are held and how many of them are stuck Terminating', () => {
    const text = heldPodsWarning({ withFinalizer: 3, terminating: 2, complete: true });
    expect(text).toContain('3 pods still carry its finalizer');
    expect(text).toContain('2 pods are stuck Terminating');
    expect(text).not.toContain('at least');
  });

  it('warns before any is deleted, in the singular', () => {
    const text = heldPodsWarning({ withFinalizer: 1, terminating: 0, complete: true });
    expect(text).toContain('1 pod still carries');
    expect(text).toContain('will stay Terminating');
  });

  it('says the counts are lower bounds when the scan stopped early', () => {
    const text = heldPodsWarning({ withFinalizer: 40, terminating: 5, complete: false });
    expect(text).toContain('at least 40 pods');
    expect(text).toContain('at least 5 pods are stuck');
    expect(text).toContain('more pods than were counted');
  });

  it('says nothing for a zero the backend read, or when it did not count', () => {
    expect(heldPodsWarning({ withFinalizer: 0, terminating: 0, complete: true })).toBeUndefined();
    expect(heldPodsWarning(undefined)).toBeUndefined();
  });

  it('does not pass an unfinished count of 0 off as none', () => {
    const text = heldPodsWarning({ withFinalizer: 0, terminating: 0, complete: false });
    expect(text).toContain('more pods than were counted');
  });
});
