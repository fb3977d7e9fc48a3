/** The ledger's chunks: bounded append, cursor reads, idempotent sync, ConfigMaps, compaction. */
import { GIB } from '@nodeless/common';
import { describe, expect, it } from 'vitest';
import { compactLedger, totalsToConfigMap, utcDay, type DailyTotal } from './compact.ts';
import {
  appendRecords,
  appendToTail,
  chunkAcknowledged,
  chunkExtent,
  formatCursor,
  LEDGER_START,
  parseCursor,
  readLedger,
  recordLine,
  type LedgerChunk,
  type LedgerCursor,
} from './ledger.ts';
import { chunkFromConfigMap, chunkToConfigMap, LedgerFormatError } from './ledger-configmap.ts';
import type { Prices } from './prices.ts';
import { billRecord, recordKey, type LedgerRecord } from './record.ts';

const DAY = 86_400;
const D0 = 20_424 * DAY; // 2025-12-02T00:00:00Z
const PRICES: Prices = {
  currency: 'USD',
  nanosPerVcpuHour: 40_480_000,
  nanosPerGibHour: 4_445_000,
  minimumSeconds: 60,
};

/** Record i: pod `p<i>` of workload w<i mod 3>, 10 + i s on day `day`, hour i mod 24. */
function rec(i: number, day = 0, extra: Partial<LedgerRecord> = {}): LedgerRecord {
  const from = D0 + day * DAY + (i % 24) * 3600;
  return {
    uid: `uid-${day}-${i}`,
    segment: Math.floor(from / 3600),
    namespace: i % 2 === 0 ? 'team-a' : 'team-b',
    name: `p${i}`,
    owner: { kind: 'Deployment', name: `w${i % 3}` },
    spec: { cpuMilli: 500, memoryBytes: GIB },
    podStart: from,
    from,
    to: from + 10 + i,
    final: true,
    usage:
      i % 4 === 0
        ? { state: 'missing' }
        : {
            state: 'measured',
            cpuMilliSeconds: 100 * i,
            memoryKiBSeconds: 1000 * i,
            coveredSeconds: 5,
          },
    ...extra,
  };
}

const records = (n: number, day = 0): LedgerRecord[] =>
  Array.from({ length: n }, (_, i) => rec(i, day));

/** The desktop's store: upsert by (uid, segment), as the SQLite table's primary key does. */
function sync(
  store: Map<string, LedgerRecord>,
  chunks: readonly LedgerChunk[],
  cursor: LedgerCursor,
): LedgerCursor {
  const read = readLedger(chunks, cursor);
  for (const r of read.records) store.set(recordKey(r), r);
  return read.cursor;
}
const billOf = (store: Map<string, LedgerRecord>): number =>
  [...store.values()].reduce((sum, r) => sum + billRecord(r, PRICES).micros, 0);

describe('appendRecords', () => {
  it('fills chunks up to the record limit, seals them, numbers them in sequence', () => {
    const { chunks, written } = appendRecords([], records(25), { maxRecords: 10, maxBytes: 1e9 });
    expect(chunks.map((c) => [c.seq, c.records.length, c.sealed])).toEqual([
      [0, 10, true],
      [1, 10, true],
      [2, 5, false],
    ]);
    expect(written).toEqual([0, 1, 2]);
    const more = appendRecords(chunks, [rec(30)], { maxRecords: 10, maxBytes: 1e9 });
    expect(more.written).toEqual([2]);
    expect(more.chunks[2]?.records).toHaveLength(6);
  });

  it('seals a chunk before it passes the byte limit (a ConfigMap holds 1 MiB)', () => {
    const line = new TextEncoder().encode(recordLine(rec(1))).length;
    const { chunks } = appendRecords([], [rec(1), rec(3), rec(5)], {
      maxRecords: 1000,
      maxBytes: 2 * line + 1,
    });
    expect(chunks.map((c) => c.records.length)).toEqual([2, 1]);
    expect(chunks.every((c) => c.bytes <= 2 * line + 1)).toBe(true);
    const defaults = appendRecords([], records(2500)).chunks;
    expect(defaults.every((c) => c.records.length <= 1000 && c.bytes <= 512 * 1024)).toBe(true);
  });

  it('skips a record whose (uid, segment) is already in the ledger: a meter restart adds nothing', () => {
    const first = appendRecords([], records(5));
    const again = appendRecords(first.chunks, [...records(5), rec(1)]);
    expect(again.duplicates).toBe(6);
    expect(again.written).toEqual([]);
    expect(again.chunks).toEqual(first.chunks);
  });
});

describe('appendToTail', () => {
  const limits = { maxRecords: 10, maxBytes: 1e9 };

  it('returns only the tail and the chunks it opened, never reading a sealed chunk', () => {
    const { chunks } = appendRecords([], records(25), limits); // 0, 1 sealed; 2 open with 5
    const tail = chunks[2] as LedgerChunk;
    const asked: string[] = [];
    const seen = {
      has: (k: string) => {
        asked.push(k);
        return k === recordKey(rec(40));
      },
    };
    const out = appendToTail({ tail, nextSeq: 3, seen }, [rec(40), ...records(8, 1)], limits);
    expect(out.chunks.map((c) => [c.seq, c.records.length, c.sealed])).toEqual([
      [2, 10, true],
      [3, 3, false],
    ]);
    expect(out).toMatchObject({ written: [2, 3], duplicates: 1 });
    expect(out.added).toHaveLength(8);
    // Dedupe is asked of the caller's keys (the meter's window), once per record.
    expect(asked).toHaveLength(9);
    expect(tail.records).toHaveLength(5); // the caller's tail is not changed
  });

  it('opens the next sequence after a sealed last chunk; writes nothing when all are duplicates', () => {
    const fresh = appendToTail(
      { tail: undefined, nextSeq: 7, seen: new Set() },
      records(2),
      limits,
    );
    expect(fresh.written).toEqual([7]);
    const again = appendToTail(
      { tail: fresh.chunks[0], nextSeq: 8, seen: new Set(records(2).map(recordKey)) },
      records(2),
      limits,
    );
    expect(again).toEqual({ chunks: [], written: [], duplicates: 2, added: [] });
  });

  it('a chunk’s extent answers compaction’s questions as the chunk does', () => {
    const { chunks } = appendRecords([], records(12), limits);
    const [sealed, open] = chunks.map(chunkExtent);
    expect(sealed).toMatchObject({ seq: 0, sealed: true, count: 10 });
    expect(sealed?.maxTo).toBe(Math.max(...records(10).map((r) => r.to)));
    for (const cursor of [
      { seq: 0, offset: 9 },
      { seq: 0, offset: 10 },
      { seq: 1, offset: 0 },
    ]) {
      expect(chunkAcknowledged(sealed as ReturnType<typeof chunkExtent>, cursor)).toBe(
        chunkAcknowledged(chunks[0] as LedgerChunk, cursor),
      );
    }
    expect(open).toMatchObject({ seq: 1, sealed: false, count: 2 });
  });
});

describe('readLedger and sync', () => {
  const { chunks } = appendRecords([], records(25), { maxRecords: 10, maxBytes: 1e9 });

  it('reads from a cursor, in pages, to the end', () => {
    const page = readLedger(chunks, LEDGER_START, 12);
    expect(page.records.map((r) => r.name)).toEqual(records(12).map((r) => r.name));
    expect(page.cursor).toEqual({ seq: 1, offset: 2 });
    const rest = readLedger(chunks, page.cursor);
    expect(rest.records).toHaveLength(13);
    expect(rest.cursor).toEqual({ seq: 2, offset: 5 });
    expect(readLedger(chunks, rest.cursor).records).toEqual([]);
  });

  it('syncing the same chunks twice (a crash before the ack) bills nothing twice', () => {
    const once = new Map<string, LedgerRecord>();
    sync(once, chunks, LEDGER_START);
    const twice = new Map<string, LedgerRecord>();
    sync(twice, chunks, LEDGER_START);
    sync(twice, chunks, LEDGER_START);
    expect(twice.size).toBe(25);
    expect(billOf(twice)).toBe(billOf(once));
  });

  it('picks up records appended to the open chunk after the cursor', () => {
    const store = new Map<string, LedgerRecord>();
    const cursor = sync(store, chunks, LEDGER_START);
    const grown = appendRecords(chunks, [rec(40)], { maxRecords: 10, maxBytes: 1e9 }).chunks;
    expect(readLedger(grown, cursor).records.map((r) => r.name)).toEqual(['p40']);
  });

  it('cursors round-trip as text', () => {
    expect(parseCursor(formatCursor({ seq: 42, offset: 17 }))).toEqual({ seq: 42, offset: 17 });
    expect(parseCursor('42')).toBeUndefined();
  });
});

describe('ConfigMaps', () => {
  it('round-trips a chunk; a sealed chunk is immutable', () => {
    const { chunks } = appendRecords([], records(12), { maxRecords: 10, maxBytes: 1e9 });
    const [sealed, open] = chunks.map((c) => chunkToConfigMap(c));
    expect(sealed?.immutable).toBe(true);
    expect(open?.immutable).toBeUndefined();
    expect(sealed?.metadata?.name).toBe('nodeless-ledger-000000000000');
    expect(chunks.map((c) => chunkFromConfigMap(chunkToConfigMap(c)))).toEqual(chunks);
  });

  it('names the object and line of a record it cannot read', () => {
    const cm = chunkToConfigMap(appendRecords([], records(2)).chunks[0] as LedgerChunk);
    cm.data = { 'records.jsonl': `${recordLine(rec(0))}{"uid":"x"}\n` };
    expect(() => chunkFromConfigMap(cm)).toThrow(LedgerFormatError);
    expect(() => chunkFromConfigMap(cm)).toThrow(/nodeless-ledger-000000000000: line 2/);
  });
});

describe('compactLedger', () => {
  const limits = { maxRecords: 10, maxBytes: 1e9 };
  const day0 = appendRecords([], records(30, 0), limits).chunks; // seq 0..2, all sealed
  const ledger = appendRecords(day0, records(5, 3), limits).chunks; // seq 3 open
  const now = D0 + 10 * DAY;

  it('folds only acknowledged, sealed chunks older than the retention window', () => {
    const acked = { seq: 1, offset: 10 };
    const out = compactLedger(ledger, [], acked, now, 7 * DAY);
    expect(out.removed).toEqual([0, 1]);
    expect(out.chunks.map((c) => c.seq)).toEqual([2, 3]);
    expect(out.changedDays).toEqual([utcDay(D0)]);
    const fresh = compactLedger(ledger, [], { seq: 3, offset: 5 }, D0 + 5 * DAY, 7 * DAY);
    expect(fresh.removed).toEqual([]);
    const all = compactLedger(ledger, [], { seq: 3, offset: 5 }, now, 7 * DAY);
    expect(all.removed).toEqual([0, 1, 2]); // the open tail chunk stays
  });

  it('totals equal the sum of the records, and compacting in steps equals compacting at once', () => {
    const acked = { seq: 3, offset: 5 };
    const atOnce = compactLedger(ledger, [], acked, now, 7 * DAY);
    const step1 = compactLedger(ledger, [], { seq: 0, offset: 10 }, now, 7 * DAY);
    const step2 = compactLedger(step1.chunks, step1.totals, acked, now, 7 * DAY);
    expect(step2.totals).toEqual(atOnce.totals);

    const folded = records(30, 0);
    const sum = (f: (t: DailyTotal) => number) => atOnce.totals.reduce((s, t) => s + f(t), 0);
    expect(sum((t) => t.records)).toBe(30);
    expect(sum((t) => t.seconds)).toBe(folded.reduce((s, r) => s + r.to - r.from, 0));
    expect(sum((t) => t.specCpuMilliSeconds)).toBe(
      folded.reduce((s, r) => s + 500 * (r.to - r.from), 0),
    );
    expect(sum((t) => t.specMemoryKiBSeconds)).toBe(
      folded.reduce((s, r) => s + 1024 * 1024 * (r.to - r.from), 0),
    );
    const measured = folded.filter((r) => r.usage.state === 'measured');
    expect(sum((t) => t.usageCpuMilliSeconds)).toBe(
      measured.reduce(
        (s, r) => s + (r.usage.state === 'measured' ? r.usage.cpuMilliSeconds : 0),
        0,
      ),
    );
    expect(sum((t) => t.usageMissingSeconds)).toBe(
      folded.filter((r) => r.usage.state === 'missing').reduce((s, r) => s + r.to - r.from, 0),
    );
    // One total per namespace × workload that ran that day.
    expect(atOnce.totals.map((t) => `${t.namespace}/${t.owner?.name}`)).toEqual([
      'team-a/w0',
      'team-a/w1',
      'team-a/w2',
      'team-b/w0',
      'team-b/w1',
      'team-b/w2',
    ]);
  });

  it('writes a day’s totals as one ConfigMap of JSON lines', () => {
    const { totals } = compactLedger(ledger, [], { seq: 3, offset: 5 }, now, 7 * DAY);
    const cm = totalsToConfigMap(utcDay(D0), totals);
    expect(cm.metadata?.name).toBe(`nodeless-ledger-totals-${utcDay(D0)}`);
    const lines = (cm.data?.['totals.jsonl'] ?? '').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l) as DailyTotal)).toEqual(totals);
  });
});
