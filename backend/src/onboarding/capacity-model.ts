/**
 * The capacity map's model: common's pod-size table and cluster-runtime's RuntimeClass overheads
 * (it creates the RuntimeClasses); host-bootstrap computes the map but may not import
 * cluster-runtime (DESIGN.md §1), so backend hands the overheads over.
 */
import { POD_SIZES } from '@nodeless/common';
import { RUNTIME_OVERHEAD } from '@nodeless/cluster-runtime';
import type { CapacityModel } from '@nodeless/host-bootstrap';

/** What every check counts capacity with: the same sizes and overheads the cluster uses. */
export const CAPACITY_MODEL: CapacityModel = { specs: POD_SIZES, overhead: RUNTIME_OVERHEAD };
