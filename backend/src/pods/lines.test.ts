import { describe, expect, it } from 'vitest';
import { LineSplitter, splitTimestamp } from './lines.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('LineSplitter', () => {
  it('keeps a line cut between chunks until its newline arrives', () => {
    const s = new LineSplitter();
    expect(s.push(bytes('one\ntw'))).toEqual(['one']);
    expect(s.push(bytes('o\nthree'))).toEqual(['two']);
    expect(s.end()).toEqual(['three']);
    expect(s.end()).toEqual([]);
  });

  it('decodes a UTF-8 character split across chunks and drops a CR before LF', () => {
    const s = new LineSplitter();
    const all = bytes('grüße\r\nok\n');
    expect(s.push(all.subarray(0, 3))).toEqual([]);
    expect(s.push(all.subarray(3))).toEqual(['grüße', 'ok']);
    expect(s.end()).toEqual([]);
  });

  it('sends an overlong unfinished line in pieces of maxLine', () => {
    const s = new LineSplitter(4);
    expect(s.push(bytes('abcdefghij'))).toEqual(['abcd', 'efgh']);
    expect(s.push(bytes('\n'))).toEqual(['ij']);
  });

  it('keeps empty lines', () => {
    expect(new LineSplitter().push(bytes('a\n\nb\n'))).toEqual(['a', '', 'b']);
  });
});

describe('splitTimestamp', () => {
  it('separates the kubelet RFC 3339 nano time from the text', () => {
    expect(splitTimestamp('2026-12-02T17:00:00.123456789Z hello world')).toEqual({
      time: '2026-12-02T17:00:00.123456789Z',
      text: 'hello world',
    });
    expect(splitTimestamp('2026-12-02T17:00:00+01:00 x')).toEqual({
      time: '2026-12-02T17:00:00+01:00',
      text: 'x',
    });
  });

  it('leaves a line without a time whole', () => {
    expect(splitTimestamp('no time here')).toEqual({ text: 'no time here' });
  });
});
