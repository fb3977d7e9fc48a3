import { describe, expect, it } from 'vitest';
import { matchesSelector, parseSelector, type Requirement } from './label-selector.ts';

function reqs(input: string): readonly Requirement[] {
  const r = parseSelector(input);
  if (!r.ok) throw new Error(r.error);
  return r.requirements;
}
function error(input: string): string {
  const r = parseSelector(input);
  if (r.ok) throw new Error(`parsed: ${input}`);
  return r.error;
}

describe('parseSelector', () => {
  it('reads every kubectl form', () => {
    expect(reqs('app=web, tier!=db,env in (a, b),!canary,team,x==y,v notin (1),n>3,m<-1')).toEqual([
      { key: 'app', op: '=', values: ['web'] },
      { key: 'tier', op: '!=', values: ['db'] },
      { key: 'env', op: 'in', values: ['a', 'b'] },
      { key: 'canary', op: '!', values: [] },
      { key: 'team', op: 'exists', values: [] },
      { key: 'x', op: '=', values: ['y'] },
      { key: 'v', op: 'notin', values: ['1'] },
      { key: 'n', op: '>', values: ['3'] },
      { key: 'm', op: '<', values: ['-1'] },
    ]);
    expect(reqs('app.kubernetes.io/name=shop')).toEqual([
      { key: 'app.kubernetes.io/name', op: '=', values: ['shop'] },
    ]);
    expect(reqs('  ')).toEqual([]);
    expect(reqs('app=')).toEqual([{ key: 'app', op: '=', values: [''] }]);
  });

  it('names what was expected and where', () => {
    expect(error('app=web,')).toBe('expected a label key at position 9, found the end');
    expect(error('env in a,b')).toBe('expected "(" at position 8, found "a"');
    expect(error('env in (a b)')).toBe('expected "," or ")" at position 11, found "b"');
    expect(error('app web')).toBe(
      'expected an operator (=, !=, in, notin) or "," at position 5, found "web"',
    );
    expect(error('n>x')).toBe('expected an integer at position 3, found "x"');
    expect(error('-bad=1')).toMatch(/^"-bad" is not a valid label key/);
    expect(error('Foo.com/x=1')).toMatch(/^"Foo.com\/x" has an invalid prefix/);
    expect(error('a=b)')).toBe('expected "," between requirements at position 4, found ")"');
  });
});

describe('matchesSelector', () => {
  const labels = { app: 'web', env: 'prod', n: '5' };
  const cases: [string, boolean][] = [
    ['', true],
    ['app=web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['env in (dev,prod)', true],
    ['env notin (prod)', false],
    ['missing notin (prod)', true],
    ['missing in (prod)', false],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['n>4,n<6', true],
    ['app>1', false],
    ['app=web,env=dev', false],
  ];
  it.each(cases)('%s → %s', (input, expected) => {
    expect(matchesSelector(reqs(input), labels)).toBe(expected);
  });
});
