import { readFileSync } from 'node:fs';
import { DEFAULT_POD_SIZE, quantityMilliValue, quantityValue } from '@nodeless/common';
import { runtimeClassFor, SANDBOXES } from '@nodeless/cluster-runtime';
import { computeCapacity, parseFacts } from '@nodeless/host-bootstrap';
import { describe, expect, it } from 'vitest';
import { CAPACITY_MODEL } from './capacity-model.ts';

// A real host's facts (8 CPUs, 31 GiB) from host-bootstrap's parser fixtures.
const debian = parseFacts(
  readFileSync(
    new URL('../../../host-bootstrap/src/facts/fixtures/debian-12.txt', import.meta.url),
    'utf8',
  ),
);

describe('capacity model wired from common and cluster-runtime', () => {
  it('counts the same overhead the RuntimeClasses declare', () => {
    for (const sandbox of SANDBOXES) {
      const podFixed = runtimeClassFor(sandbox).overhead?.podFixed;
      expect({
        cpuMilli: podFixed?.['cpu'] ? quantityMilliValue(podFixed['cpu']) : 0,
        memoryBytes: podFixed?.['memory'] ? quantityValue(podFixed['memory']) : 0,
      }).toEqual(CAPACITY_MODEL.overhead[sandbox]);
    }
  });

  // Figures of the capacity map before the table moved to cluster-runtime (one copy in each).
  it('gives the capacity map the same numbers as before', () => {
    const server = { name: 's', role: 'server', facts: debian, eligible: true } as const;
    const kata = computeCapacity([{ ...server, sandbox: 'microvm-ready' }], CAPACITY_MODEL);
    const gvisor = computeCapacity([{ ...server, sandbox: 'gvisor-only' }], CAPACITY_MODEL);
    const fits = (m: typeof kata) => m.pods.slice(0, 8).map((p) => p.fit);
    const sum = (m: typeof kata) => m.pods.reduce((s, p) => s + p.fit, 0);
    expect(kata.pods).toHaveLength(115);
    expect(kata.pods[0]).toEqual({ ...DEFAULT_POD_SIZE, fit: 15 });
    expect(fits(kata)).toEqual([15, 15, 13, 10, 10, 9, 7, 6]);
    expect(sum(kata)).toBe(183);
    expect(fits(gvisor)).toEqual([30, 29, 14, 15, 14, 9, 7, 7]);
    expect(sum(gvisor)).toBe(225);
    expect(kata.pods.filter((p) => p.fit > 0)).toHaveLength(67);
  });
});
