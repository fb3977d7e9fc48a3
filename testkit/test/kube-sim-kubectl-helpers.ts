/**
 * Shared setup of the real-kubectl suites (`kube-sim-kubectl-*.int.test.ts`): one kube-sim per
 * suite with the simulated cluster at 10× time, a kubectl call that must succeed, and the typed
 * Deployment they create. Each suite gets its own harness, so none depends on another's state.
 */
import { afterAll, beforeAll, it } from 'vitest';
import { requireOrSkip } from '../src/test-support/require-or-skip.ts';
import { hasSimulation, startHarness, type Harness } from './kube-sim-helpers.ts';

/** `it` for scenarios that need Running pods (the simulation): skipped without it, failed in CI. */
export const simIt = it.skipIf(
  requireOrSkip(
    'kube-sim kubectl suite: the simulation scenarios, because testkit/src/kube-sim/sim/index.ts is missing',
    hasSimulation,
  ),
);

/** What a real-kubectl suite works with once its harness has started. */
export interface KubectlSuite {
  /** The suite's harness; only valid inside tests and hooks (after `beforeAll`). */
  readonly h: Harness;
  /** Runs kubectl and returns its stdout; throws with stderr when it exits non-zero. */
  ok(...args: string[]): Promise<string>;
  /** Creates a Deployment through `kubectl apply` (typed `kubectl create` speaks protobuf). */
  deployment(name: string, image: string, replicas: number): Promise<void>;
}

/**
 * Starts a kube-sim (3 nodes, 10× time) before the enclosing `describe` and stops it after.
 * Call it at the top of the `describe` body so its hooks run before the suite's own.
 */
export function useKubectlHarness(): KubectlSuite {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness({ nodes: 3, timeScale: 10 });
  });
  afterAll(async () => {
    await harness?.stop();
  });
  const current = (): Harness => {
    if (!harness) throw new Error('kube-sim harness is not started (use it inside tests)');
    return harness;
  };
  return {
    get h() {
      return current();
    },
    async ok(...args) {
      const r = await current().kubectl(args);
      if (r.code !== 0)
        throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
    async deployment(name, image, replicas) {
      const yaml = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        `metadata: {name: ${name}, labels: {app: ${name}}}`,
        'spec:',
        `  replicas: ${replicas}`,
        `  selector: {matchLabels: {app: ${name}}}`,
        '  template:',
        `    metadata: {labels: {app: ${name}}}`,
        `    spec: {containers: [{name: nginx, image: "${image}"}]}`,
      ].join('\n');
      const r = await current().kubectl(['apply', '-f', '-'], yaml);
      if (r.code !== 0) throw new Error(`apply ${name} failed: ${r.stderr}`);
    },
  };
}
