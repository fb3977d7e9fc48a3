/**
 * RuntimeClass (node.k8s.io/v1): identity and row — the containerd handler it selects
 * (`kata-clh`, `runsc` …) and the fixed pod overhead admission adds to every pod under it,
 * which the scheduler and the bill count (DESIGN.md §4 step 10).
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/runtime-class-v1/
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/
 */
import type { V1RuntimeClass } from '@kubernetes/client-node';
import { kindIdentity, rowBase, type RowBase } from './kind.ts';

export const RUNTIME_CLASS = kindIdentity(
  'node.k8s.io',
  'v1',
  'RuntimeClass',
  'runtimeclasses',
  false,
);

export interface RuntimeClassRow extends RowBase {
  handler: string;
  /** overhead.podFixed as the API states it (`{cpu: '250m', memory: '130Mi'}`). */
  overhead: Readonly<Record<string, string>>;
  /** scheduling.nodeSelector: nodes it may run on (empty: any). */
  nodeSelector: Readonly<Record<string, string>>;
}

export function runtimeClassRow(rc: V1RuntimeClass): RuntimeClassRow {
  return {
    ...rowBase(rc),
    handler: rc.handler,
    overhead: rc.overhead?.podFixed ?? {},
    nodeSelector: rc.scheduling?.nodeSelector ?? {},
  };
}
