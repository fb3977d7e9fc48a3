/**
 * parseRecordLine's hand-written path for the meter's lines: it returns what the schema returns
 * (known keys only, missing optionals absent) and refuses what the schema refuses.
 */
import { GIB } from '@nodeless/common';
import { describe, expect, it } from 'vitest';
import {
  chunkFromConfigMap,
  chunkToConfigMap,
  LedgerFormatError,
  parseRecordLine,
} from './ledger-configmap.ts';
import type { LedgerRecord } from './record.ts';

const FULL: LedgerRecord = {
  uid: 'u-1',
  segment: 491_000,
  namespace: 'team-a',
  name: 'web-1',
  owner: { kind: 'Deployment', name: 'web' },
  labels: { app: 'web', tier: 'front' },
  spec: { cpuMilli: 500, memoryBytes: GIB },
  specSource: 'request',
  runtimeClass: 'kata',
  overhead: { cpuMilli: 250, memoryBytes: 160 * 1024 * 1024 },
  podStart: 491_000 * 3600 - 10,
  from: 491_000 * 3600,
  to: 491_000 * 3600 + 3600,
  final: false,
  usage: { state: 'measured', cpuMilliSeconds: 900_000, memoryKiBSeconds: 5, coveredSeconds: 3600 },
};
const BARE: LedgerRecord = {
  uid: 'u-2',
  segment: 491_000,
  namespace: 'team-b',
  name: 'job-1',
  spec: { cpuMilli: 0, memoryBytes: 0 },
  podStart: 491_000 * 3600,
  from: 491_000 * 3600,
  to: 491_000 * 3600,
  final: true,
  usage: { state: 'missing' },
};

const line = (r: object) => JSON.stringify(r);

describe('parseRecordLine', () => {
  it('returns the records the meter wrote, with every optional field or none, keys in order', () => {
    for (const r of [FULL, BARE]) {
      const parsed = parseRecordLine(line(r));
      expect(parsed).toStrictEqual(r);
      expect(JSON.stringify(parsed)).toBe(line(r));
    }
  });

  it('drops keys the schema does not know, at every level', () => {
    const parsed = parseRecordLine(
      line({
        ...FULL,
        extra: 1,
        owner: { ...FULL.owner, uid: 'x' },
        spec: { ...FULL.spec, gpu: 1 },
        usage: { ...FULL.usage, note: 'x' },
      }),
    );
    expect(parsed).toStrictEqual(FULL);
    expect(
      parseRecordLine(line({ ...BARE, usage: { state: 'missing', cpuMilliSeconds: 1 } })),
    ).toStrictEqual(BARE);
  });

  it.each([
    ['an empty uid', { ...FULL, uid: '' }],
    ['a fractional segment', { ...FULL, segment: 1.5 }],
    ['a negative spec', { ...FULL, spec: { cpuMilli: -1, memoryBytes: 1 } }],
    ['a spec in a string', { ...FULL, spec: { cpuMilli: '1', memoryBytes: 1 } }],
    ['podStart after from', { ...FULL, podStart: FULL.from + 1 }],
    ['from after to', { ...FULL, to: FULL.from - 1 }],
    ["a from before its segment's hour", { ...FULL, segment: FULL.segment + 1 }],
    ["a to past its segment's hour", { ...FULL, to: (FULL.segment + 1) * 3600 + 1 }],
    ['a null owner', { ...FULL, owner: null }],
    ['an owner without a name', { ...FULL, owner: { kind: 'Job' } }],
    ['a label that is not a string', { ...FULL, labels: { app: 1 } }],
    ['an unknown spec source', { ...FULL, specSource: 'guess' }],
    ['a runtime class that is not a string', { ...FULL, runtimeClass: 1 }],
    ['an overhead without memory', { ...FULL, overhead: { cpuMilli: 1 } }],
    ['a final that is not a boolean', { ...FULL, final: 1 }],
    ['an unknown usage state', { ...FULL, usage: { state: 'estimated' } }],
    [
      'measured usage without covered seconds',
      { ...FULL, usage: { state: 'measured', cpuMilliSeconds: 1, memoryKiBSeconds: 1 } },
    ],
    ['an unsafe integer', { ...FULL, to: 2 ** 53 }],
    ['an array', [FULL]],
  ])('refuses %s', (_why, value) => {
    expect(() => parseRecordLine(JSON.stringify(value))).toThrow();
    const cm = chunkToConfigMap({ seq: 0, records: [BARE], bytes: 0, sealed: true });
    cm.data = { 'records.jsonl': `${line(BARE)}\n${JSON.stringify(value)}\n` };
    expect(() => chunkFromConfigMap(cm)).toThrow(LedgerFormatError);
    expect(() => chunkFromConfigMap(cm)).toThrow(/line 2/);
  });
});
