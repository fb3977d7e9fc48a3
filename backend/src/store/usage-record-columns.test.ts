import { describe, expect, it } from 'vitest';
import {
  packRecords,
  RECORD_COLUMNS,
  RECORD_WIDTH,
  recordView,
  rowAt,
  writeValues,
} from './usage-record-columns.ts';
import type { UsageRecordRow } from './usage-records.ts';

const row = (uid: string, over: Partial<UsageRecordRow> = {}): UsageRecordRow => ({
  cluster_id: '3f1c2a9e-0000-4000-8000-000000000001',
  uid,
  segment: 491_000,
  namespace: 'team-a',
  name: `web-${uid}`,
  owner_kind: 'Deployment',
  owner_name: 'web',
  labels: '{"app":"web"}',
  cpu_milli: 500,
  memory_bytes: 2 ** 31,
  spec_source: 'size',
  runtime_class: 'kata',
  overhead_cpu_milli: 100,
  overhead_memory_bytes: 167_772_160,
  pod_start: 1_767_600_000,
  start_s: 1_767_600_000,
  end_s: 1_767_603_600,
  final: 0,
  usage_cpu_milli_s: 1_200_000,
  usage_memory_kib_s: 2 ** 40,
  usage_covered_s: 3600,
  billed_seconds: 3600,
  cost_micros: Number.MAX_SAFE_INTEGER,
  ...over,
});

describe('packed records', () => {
  const rows = [
    row('a'),
    row('b', {
      labels: null,
      spec_source: null,
      runtime_class: null,
      overhead_cpu_milli: null,
      overhead_memory_bytes: null,
      usage_cpu_milli_s: null,
      usage_memory_kib_s: null,
      usage_covered_s: null,
      owner_kind: '',
      owner_name: '',
      final: 1,
    }),
    row('a', { segment: 491_001 }),
  ];

  it('give back every value, nulls and the largest safe integer included, each string once', () => {
    const packed = packRecords(rows);
    expect(rows.map((_, i) => rowAt(packed, i))).toEqual(rows);
    expect(new Set(packed.strings).size).toBe(packed.strings.length);
    expect(packed.strings.filter((s) => s === 'a')).toHaveLength(1);
    expect(packRecords([])).toMatchObject({ count: 0, strings: [] });
  });

  it('write the INSERT values in column order; a view reads the record it is moved to', () => {
    const packed = packRecords(rows);
    const out: unknown[] = [];
    writeValues(packed, 1, out, RECORD_WIDTH);
    expect(out.slice(RECORD_WIDTH)).toEqual(
      RECORD_COLUMNS.map((c) => (rows[1] as UsageRecordRow)[c]),
    );
    const view = recordView(packed);
    expect(view.at(2).segment).toBe(491_001);
    expect(view.at(1).labels).toBeNull();
    expect(view.at(0).cost_micros).toBe(Number.MAX_SAFE_INTEGER);
  });
});
