/** The pod details' bill line, and why there is none. */
import { describe, expect, it } from 'vitest';
import type { UsagePodBill } from '@nodeless/backend/api';
import { GIB } from '@nodeless/common';
import { notBilledView, podBillView } from './pod-bill-model.ts';

const bill: UsagePodBill = {
  uid: 'u1',
  namespace: 'shop',
  name: 'web-1',
  spec: { cpuMilli: 500, memoryBytes: GIB },
  seconds: 11_525,
  costMicros: 420_000,
  currency: 'USD',
  line: 'billed 0.5 vCPU / 1 GiB for 3 h 12 min 5 s = 0.420000',
  running: false,
  efficiency: {
    state: 'measured',
    cpuPpm: 420_000,
    memoryPpm: 610_000,
    coveredSeconds: 11_525,
    missing: 0,
  },
};

describe('podBillView', () => {
  it('the line with its currency, "so far" while running', () => {
    expect(podBillView(bill)).toEqual({
      kind: 'billed',
      line: 'billed 0.5 vCPU / 1 GiB for 3 h 12 min 5 s = 0.420000 USD',
      efficiency: 'Used 42.0 % of its CPU and 61.0 % of its memory',
    });
    expect(
      podBillView({ ...bill, running: true }).kind === 'billed' &&
        podBillView({ ...bill, running: true }),
    ).toMatchObject({
      line: expect.stringMatching(/USD so far$/),
    });
  });

  it('missing usage says missing', () => {
    expect(podBillView({ ...bill, efficiency: { state: 'missing' } })).toMatchObject({
      efficiency: expect.stringMatching(/^Usage missing/),
    });
  });

  it('no record: says why, by the meter’s state', () => {
    expect(notBilledView({ state: 'absent' })).toMatchObject({
      text: expect.stringMatching(/no meter/),
    });
    expect(notBilledView({ state: 'stale' })).toMatchObject({
      text: expect.stringMatching(/not running/),
    });
    expect(
      notBilledView({ state: 'running', holder: 'm', renewedAt: '2026-12-02T00:00:00Z' }),
    ).toMatchObject({ text: expect.stringMatching(/hour closes/) });
  });
});
