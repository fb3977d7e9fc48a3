import { describe, expect, it } from 'vitest';
import {
  columnsOf,
  concatColumns,
  packColumns,
  recordCursor,
  unpackColumns,
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

describe('record columns', () => {
  it('pack and unpack give back every value, nulls included, strings shared', () => {
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
    const packed = packColumns(columnsOf(rows));
    expect(unpackColumns(packed)).toEqual(columnsOf(rows));
    // The cluster, namespace, labels… once each; uid 'a' and its name once for two records.
    expect(new Set(packed.strings).size).toBe(packed.strings.length);
    expect(packed.strings.filter((s) => s === 'a')).toHaveLength(1);
    const cursor = recordCursor(unpackColumns(packed));
    expect({ ...pick(cursor.at(1)) }).toEqual(pick(rows[1] as UsageRecordRow));
  });

  it('an empty batch, and batches joined in order', () => {
    expect(unpackColumns(packColumns(columnsOf([])))).toEqual({ count: 0, values: [] });
    const joined = concatColumns([columnsOf([row('a')]), columnsOf([row('b'), row('c')])]);
    expect(joined).toEqual(columnsOf([row('a'), row('b'), row('c')]));
    expect(recordCursor(joined).at(2).uid).toBe('c');
  });
});

/** The fields a cursor's view answers, as a plain object. */
function pick(r: UsageRecordRow) {
  return {
    uid: r.uid,
    labels: r.labels,
    usage_covered_s: r.usage_covered_s,
    final: r.final,
    cost_micros: r.cost_micros,
  };
}
