import { describe, expect, it } from 'vitest';
import { LogBuffer, type BufferedLine } from './log-buffer.ts';

const lines = (from: number, n: number): BufferedLine[] =>
  Array.from({ length: n }, (_, i) => ({ pod: 'p', container: 'c', text: `line ${from + i}` }));

describe('LogBuffer', () => {
  it('keeps lines in order and reads them by index and by sequence number', () => {
    const b = new LogBuffer(10);
    b.append(lines(0, 3));
    expect(b.length).toBe(3);
    expect(b.start).toBe(0);
    expect(b.end).toBe(3);
    expect(b.at(0)?.text).toBe('line 0');
    expect(b.at(2)?.text).toBe('line 2');
    expect(b.at(3)).toBeUndefined();
    expect(b.bySeq(1)?.text).toBe('line 1');
  });

  it('drops the oldest beyond the bound, sequence numbers keep counting', () => {
    const b = new LogBuffer(5);
    b.append(lines(0, 4));
    b.append(lines(4, 4));
    expect(b.length).toBe(5);
    expect(b.start).toBe(3);
    expect(b.dropped).toBe(3);
    expect(b.end).toBe(8);
    expect(b.at(0)?.text).toBe('line 3');
    expect(b.at(4)?.text).toBe('line 7');
    expect(b.bySeq(2)).toBeUndefined();
    expect(b.bySeq(7)?.text).toBe('line 7');
  });

  it('keeps only the last bound lines of a batch larger than the bound', () => {
    const b = new LogBuffer(4);
    b.append(lines(0, 2));
    b.append(lines(2, 10));
    expect(b.end).toBe(12);
    expect(b.start).toBe(8);
    const seen: string[] = [];
    b.forEachFrom(0, (l, seq) => seen.push(`${seq}:${l.text}`));
    expect(seen).toEqual(['8:line 8', '9:line 9', '10:line 10', '11:line 11']);
  });

  it('forEachFrom starts at the sequence asked for', () => {
    const b = new LogBuffer(100);
    b.append(lines(0, 6));
    const seen: number[] = [];
    b.forEachFrom(4, (_l, seq) => seen.push(seq));
    expect(seen).toEqual([4, 5]);
  });

  it('clear forgets everything', () => {
    const b = new LogBuffer(3);
    b.append(lines(0, 5));
    b.clear();
    expect([b.length, b.start, b.end]).toEqual([0, 0, 0]);
    expect(b.at(0)).toBeUndefined();
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new LogBuffer(0)).toThrow(/positive integer/);
  });
});
