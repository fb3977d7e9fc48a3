import { describe, expect, it } from 'vitest';
import { LogBuffer } from './log-buffer.ts';
import { compileSearch, SearchIndex, splitMatches } from './log-search.ts';

const line = (text: string) => ({ pod: 'p', container: 'c', text });

function regexOf(pattern: string): RegExp {
  const c = compileSearch(pattern);
  if (c.kind !== 'ok') throw new Error(`not ok: ${pattern}`);
  return c.regex;
}

describe('compileSearch', () => {
  it('is no search when empty, case-insensitive by default', () => {
    expect(compileSearch('').kind).toBe('none');
    expect(regexOf('error').test('ERROR here')).toBe(true);
    const exact = compileSearch('error', true);
    expect(exact.kind === 'ok' && exact.regex.test('ERROR')).toBe(false);
  });

  it('says an invalid pattern in words instead of throwing', () => {
    const c = compileSearch('timeout(');
    expect(c.kind).toBe('invalid');
    if (c.kind !== 'invalid') return;
    expect(c.message).toMatch(/^“timeout\(” is not a valid regular expression \(.+\)\./);
    expect(c.message).toMatch(/backslash/);
  });
});

describe('splitMatches', () => {
  it('cuts a line into plain and highlighted runs', () => {
    expect(splitMatches(regexOf('o+'), 'foo bar boo')).toEqual([
      { text: 'f', hit: false },
      { text: 'oo', hit: true },
      { text: ' bar b', hit: false },
      { text: 'oo', hit: true },
    ]);
  });

  it('highlights a match at the start of a line after a search of a matching line', () => {
    const regex = regexOf('error');
    const b = new LogBuffer(10);
    b.append([line('ok'), line('error last')]);
    new SearchIndex(regex, b).update(); // the last line scanned matched
    expect(splitMatches(regex, 'error first')[0]).toEqual({ text: 'error', hit: true });
  });

  it('skips empty matches (no endless loop on a*), keeping the text whole', () => {
    expect(splitMatches(regexOf('x*'), 'abc')).toEqual([{ text: 'abc', hit: false }]);
  });
});

describe('SearchIndex', () => {
  it('finds matching lines and extends with new lines only', () => {
    const b = new LogBuffer(100);
    b.append([line('ok'), line('error 1'), line('ok')]);
    const s = new SearchIndex(regexOf('error'), b);
    expect(s.update()).toBe(true);
    expect(s.count).toBe(1);
    expect(s.seqAt(0)).toBe(1);
    expect(s.update()).toBe(false);
    b.append([line('Error 2'), line('fine')]);
    expect(s.update()).toBe(true);
    expect([s.seqAt(0), s.seqAt(1)]).toEqual([1, 3]);
    expect(s.has(3)).toBe(true);
    expect(s.has(4)).toBe(false);
  });

  it('forgets matches dropped from the front of the buffer', () => {
    const b = new LogBuffer(3);
    b.append([line('error a'), line('x'), line('error b')]);
    const s = new SearchIndex(regexOf('error'), b);
    s.update();
    expect(s.count).toBe(2);
    b.append([line('y')]); // drops 'error a'
    expect(s.update()).toBe(true);
    expect(s.count).toBe(1);
    expect(s.seqAt(0)).toBe(2);
  });

  it('indexAtOrAfter finds the next match from a line', () => {
    const b = new LogBuffer(100);
    b.append(['a', 'hit', 'b', 'hit', 'c'].map(line));
    const s = new SearchIndex(regexOf('hit'), b);
    s.update();
    expect(s.indexAtOrAfter(0)).toBe(0);
    expect(s.indexAtOrAfter(2)).toBe(1);
    expect(s.indexAtOrAfter(4)).toBe(2); // past the last: count
  });
});
