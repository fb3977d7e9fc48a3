/**
 * cluster-runtime's bootstrap steps (DESIGN.md §4 steps 10–12) are common's `Step`s whose phase
 * is a cluster phase and whose host is null (they talk to the Kubernetes API, not a host); the
 * backend composes them with host-bootstrap's host steps into one plan.
 *
 * @see ../../../common/src/steps.ts — the step/progress contract
 */
import type { Phase, Step } from '@nodeless/common';

/** The bootstrap phases whose steps live in cluster-runtime. */
export type ClusterPhase = Extract<Phase, 'cluster-baseline' | 'kubeconfig' | 'smoke-test'>;

/** A cluster-level step. */
export interface ClusterStep extends Step {
  phase: ClusterPhase;
  host: null;
}
