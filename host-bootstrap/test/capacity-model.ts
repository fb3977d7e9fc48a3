/**
 * The tests' own capacity model. The real size table and overheads are cluster-runtime's and
 * host-bootstrap may not import them (DESIGN.md §1), not even in tests; backend's
 * capacity-model test checks the wired-in tables. The figures here match those tables on the
 * rows kept, so the expected fits read the same.
 */
import type { CapacityModel } from '../src/index.ts';

const MiB = 2 ** 20;

/** A few sizes (ascending, smallest first) and the Kata/gVisor overheads. */
export const TEST_CAPACITY_MODEL: CapacityModel = {
  specs: [
    { vcpu: 0.25, memoryGiB: 0.5 },
    { vcpu: 0.5, memoryGiB: 1 },
    { vcpu: 1, memoryGiB: 2 },
    { vcpu: 2, memoryGiB: 4 },
    { vcpu: 16, memoryGiB: 128 },
  ],
  overhead: {
    'kata-clh': { cpuMilli: 250, memoryBytes: 130 * MiB },
    'kata-fc': { cpuMilli: 250, memoryBytes: 130 * MiB },
    'kata-qemu': { cpuMilli: 250, memoryBytes: 160 * MiB },
    gvisor: { cpuMilli: 0, memoryBytes: 0 },
  },
};
