import { describe, expect, it } from 'vitest';
import type { PoolNode } from '../pool/pool.ts';
import {
  addCapacitySample,
  CAPACITY_KEY,
  capacityConfigMap,
  CapacityFormatError,
  capacityHourOf,
  capacityHoursFromConfigMap,
  poolCapacity,
} from './capacity.ts';
import { LEDGER_LABEL } from './ledger-configmap.ts';
import { METER_CAPACITY_NAME } from './meter-names.ts';

const node = (name: string, over: Partial<PoolNode> = {}): PoolNode => ({
  name,
  ready: true,
  unschedulable: false,
  allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
  ...over,
});

describe('poolCapacity', () => {
  it('sums the allocatable of Ready, schedulable machines only', () => {
    expect(
      poolCapacity([
        node('a'),
        node('b', { allocatable: { cpu: '1500m', memory: '1024Mi' } }),
        node('not-ready', { ready: false }),
        node('cordoned', { unschedulable: true }),
      ]),
    ).toEqual({ cpuMilli: 5500, memoryBytes: 9 * 1024 ** 3 });
  });

  it('is zero for no machines (a real sample: the pool offered nothing)', () => {
    expect(poolCapacity([])).toEqual({ cpuMilli: 0, memoryBytes: 0 });
  });
});

describe('addCapacitySample', () => {
  const amount = { cpuMilli: 1000, memoryBytes: 2048 };

  it('adds to the hour’s sums and count, new hours in order', () => {
    let hours = addCapacitySample([], 10, amount);
    hours = addCapacitySample(hours, 10, { cpuMilli: 3000, memoryBytes: 0 });
    hours = addCapacitySample(hours, 9, amount);
    expect(hours).toEqual([
      { hour: 9, samples: 1, cpuMilliSum: 1000, memoryBytesSum: 2048 },
      { hour: 10, samples: 2, cpuMilliSum: 4000, memoryBytesSum: 2048 },
    ]);
  });

  it('keeps only the last keepHours hours and does not change its input', () => {
    const before = [
      { hour: 1, samples: 1, cpuMilliSum: 1, memoryBytesSum: 1 },
      { hour: 2, samples: 1, cpuMilliSum: 1, memoryBytesSum: 1 },
    ];
    const after = addCapacitySample(before, 4, amount, 2);
    expect(after.map((h) => h.hour)).toEqual([4]);
    expect(addCapacitySample(before, 3, amount, 2).map((h) => h.hour)).toEqual([2, 3]);
    expect(before).toHaveLength(2);
    expect(addCapacitySample(before, 2, amount)[1]?.samples).toBe(2);
    expect(before[1]?.samples).toBe(1);
  });

  it('hours are UTC hours of epoch milliseconds', () => {
    expect(capacityHourOf(3_600_000 * 5 + 3_599_999)).toBe(5);
    expect(capacityHourOf(3_600_000 * 6)).toBe(6);
  });
});

describe('the capacity ConfigMap', () => {
  const hours = [
    { hour: 490_000, samples: 12, cpuMilliSum: 48_000, memoryBytesSum: 12 * 8 * 1024 ** 3 },
    { hour: 490_001, samples: 3, cpuMilliSum: 12_000, memoryBytesSum: 3 * 8 * 1024 ** 3 },
  ];

  it('is a ledger object (the meter’s fence admits it, uninstall deletes it) readable as CSV', () => {
    const cm = capacityConfigMap(hours);
    expect(cm.metadata?.name).toBe(METER_CAPACITY_NAME);
    expect(cm.metadata?.namespace).toBe('nodeless-system');
    expect(cm.metadata?.labels?.[LEDGER_LABEL]).toBe('capacity');
    expect(cm.data?.[CAPACITY_KEY]).toBe(
      'hour,samples,cpu_milli_sum,memory_bytes_sum\n' +
        '490000,12,48000,103079215104\n490001,3,12000,25769803776\n',
    );
    expect(capacityHoursFromConfigMap(cm)).toEqual(hours);
  });

  it('reads as no hours when absent or empty', () => {
    expect(capacityHoursFromConfigMap(undefined)).toEqual([]);
    expect(capacityHoursFromConfigMap(capacityConfigMap([]))).toEqual([]);
  });

  it.each([
    ['a wrong header', 'hour,samples\n1,1\n'],
    ['a negative sum', 'hour,samples,cpu_milli_sum,memory_bytes_sum\n1,1,-5,0\n'],
    ['zero samples', 'hour,samples,cpu_milli_sum,memory_bytes_sum\n1,0,0,0\n'],
    ['a fraction', 'hour,samples,cpu_milli_sum,memory_bytes_sum\n1,1,1.5,0\n'],
    ['a missing cell', 'hour,samples,cpu_milli_sum,memory_bytes_sum\n1,1,5\n'],
    ['an unsafe integer', 'hour,samples,cpu_milli_sum,memory_bytes_sum\n1,1,1,9007199254740993\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => capacityHoursFromConfigMap({ data: { [CAPACITY_KEY]: text } })).toThrow(
      CapacityFormatError,
    );
  });
});
