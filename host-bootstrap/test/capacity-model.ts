/**
 * The tests' own capacity model: a few of common's sizes, and overheads like cluster-runtime's
 * (host-bootstrap may not import cluster-runtime, not even in tests; backend's capacity-model
 * test checks the wired-in tables), so the expected fits read the same.
 */
import { MIB, podSizeByLabel, type PodSize } from '@nodeless/common';
import type { CapacityModel } from '../src/index.ts';

const size = (label: string): PodSize => {
  const found = podSizeByLabel(label);
  if (!found) throw new Error(`no pod size ${label}`);
  return found;
};

/** A few sizes (ascending, smallest first) and the Kata/gVisor overheads. */
export const TEST_CAPACITY_MODEL: CapacityModel = {
  specs: [size('0.25x0.5'), size('0.5x1'), size('1x2'), size('2x4'), size('16x128')],
  overhead: {
    'kata-clh': { cpuMilli: 250, memoryBytes: 130 * MIB },
    'kata-fc': { cpuMilli: 250, memoryBytes: 130 * MIB },
    'kata-qemu': { cpuMilli: 250, memoryBytes: 160 * MIB },
    gvisor: { cpuMilli: 0, memoryBytes: 0 },
  },
};
