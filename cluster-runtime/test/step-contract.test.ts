/**
 * cluster-runtime's steps must plug into host-bootstrap's runner (the backend composes both).
 * The assignments are checked by `tsc -p cluster-runtime`; the assertions check the phases at
 * run time.
 */
import { describe, expect, it } from 'vitest';
import { PHASES, type Step } from '@nodeless/common';
import { baselineSteps } from '../src/baseline/steps.ts';
import { smokeTestStep } from '../src/smoke/smoke-test.ts';

describe('step contract', () => {
  it('baseline and smoke steps are host-bootstrap Steps in known phases with unique keys', () => {
    const steps: Step[] = [
      ...baselineSteps({ kubeconfig: () => '', sandboxes: ['kata-clh', 'gvisor'] }),
      smokeTestStep({ kubeconfig: () => '', sandbox: 'kata-clh', hostKernels: () => [] }),
    ];
    for (const s of steps) {
      expect(PHASES).toContain(s.phase);
      expect(s.host).toBeNull();
    }
    expect(new Set(steps.map((s) => s.key)).size).toBe(steps.length);
    expect(steps.map((s) => s.phase)).toEqual([
      'cluster-baseline',
      'cluster-baseline',
      'cluster-baseline',
      'cluster-baseline',
      'smoke-test',
    ]);
  });
});
