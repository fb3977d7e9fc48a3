/**
 * Server-side printing: `meta.k8s.io/v1` Table for `kubectl get`, with the columns upstream's
 * printers use (table-workloads.ts, table-kinds.ts) and NAME/AGE for the rest (custom
 * resources without printer columns, as upstream prints them).
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go
 */
import type { KubeObject } from '../store/types.ts';
import { age, name, type Col, type Rec } from './table-cells.ts';
import { OTHER_COLUMNS } from './table-kinds.ts';
import { WORKLOAD_COLUMNS } from './table-workloads.ts';

export { humanDuration } from './table-cells.ts';

const KINDS: Record<string, Col[]> = { ...WORKLOAD_COLUMNS, ...OTHER_COLUMNS };

/** Builds a Table of `objects` (all of one kind). `now` is simulated time in ms. */
export function toTable(
  kind: string,
  objects: readonly KubeObject[],
  now: number,
  resourceVersion: string,
  includeObject: string | null,
  continueToken?: string,
): object {
  const cols = KINDS[kind] ?? [name, age];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      resourceVersion,
      ...(continueToken === undefined ? {} : { continue: continueToken }),
    },
    columnDefinitions: cols.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.format === 'name' ? 'Name must be unique within a namespace.' : c.name,
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => ({
      cells: cols.map((c) => c.cell(o as unknown as Rec, now)),
      object:
        includeObject === 'Object'
          ? o
          : includeObject === 'None'
            ? null
            : {
                kind: 'PartialObjectMetadata',
                apiVersion: 'meta.k8s.io/v1',
                metadata: { ...o.metadata, managedFields: undefined },
              },
    })),
  };
}
