/**
 * Shared setup of the real-kubectl suites (`kube-sim-kubectl-*.int.test.ts`): one substrate per
 * suite and substrate (kube-sim at 10× time, or the real control plane with KWOK nodes), a
 * kubectl call that must succeed, and the typed Deployment they create. Each suite gets its own
 * substrate, so none depends on another's state.
 */
import { it } from 'vitest';
import { requireOrSkip } from '../src/test-support/require-or-skip.ts';
import { hasSimulation, type KubectlResult } from './kube-sim-helpers.ts';
import {
  useSubstrate,
  type StartSubstrate,
  type SubstrateEnv,
  type SubstrateName,
} from './kube-sim-substrates.ts';

/** `it` for scenarios that need Running pods (the simulation): skipped without it, failed in CI. */
export const simIt = it.skipIf(
  requireOrSkip(
    'kube-sim kubectl suite: the simulation scenarios, because testkit/src/kube-sim/sim/index.ts is missing',
    hasSimulation,
  ),
);

/** What a real-kubectl suite works with once its substrate has started. */
export interface KubectlSuite {
  /** The suite's substrate; only valid inside tests and hooks (after `beforeAll`). */
  readonly env: SubstrateEnv;
  /** Runs kubectl (stdin from `input`); never throws. */
  kubectl(args: readonly string[], input?: string): Promise<KubectlResult>;
  /** Runs kubectl and returns its stdout; throws with stderr when it exits non-zero. */
  ok(...args: string[]): Promise<string>;
  /** Creates a Deployment through `kubectl apply`. */
  deployment(name: string, image: string, replicas: number): Promise<void>;
}

/**
 * Starts the substrate (3 nodes; kube-sim at 10× time) before the enclosing `describe` and
 * stops it after. Call it at the top of the `describe` body so its hooks run before the suite's.
 */
export function useKubectlSuite(name: SubstrateName, start: StartSubstrate): KubectlSuite {
  const used = useSubstrate(start, {
    nodes: 3,
    ...(name === 'kube-sim' ? { kubeSim: { timeScale: 10 } } : {}),
  });
  const kubectl = (args: readonly string[], input?: string): Promise<KubectlResult> =>
    used.current.kubectl(args, input);
  return {
    get env() {
      return used.current;
    },
    kubectl,
    async ok(...args) {
      const r = await kubectl(args);
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
      const r = await kubectl(['apply', '-f', '-'], yaml);
      if (r.code !== 0) throw new Error(`apply ${name} failed: ${r.stderr}`);
    },
  };
}
