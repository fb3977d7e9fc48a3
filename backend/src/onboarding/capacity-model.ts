/**
 * The capacity map's model: cluster-runtime owns the pod size table and the RuntimeClass
 * overheads (it creates the RuntimeClasses and bills the sizes); host-bootstrap computes the
 * map but may not import cluster-runtime (DESIGN.md §1), so backend hands the tables over.
 */
import { POD_SPECS, RUNTIME_OVERHEAD } from '@nodeless/cluster-runtime';
import type { CapacityModel } from '@nodeless/host-bootstrap';

/** What every check counts capacity with: the same sizes and overheads the cluster uses. */
export const CAPACITY_MODEL: CapacityModel = { specs: POD_SPECS, overhead: RUNTIME_OVERHEAD };
