import { describe, expect, it } from 'vitest';
import { syntaxProblems } from './syntax.ts';

describe('syntaxProblems', () => {
  it('is empty for valid multi-document YAML', () => {
    expect(syntaxProblems('a: 1\n---\nb: [1, 2]\n---\n')).toEqual([]);
  });

  it('names the line of an error in a later document, one message per line', () => {
    const problems = syntaxProblems('a: 1\n---\nkind: ConfigMap\nmetadata: [name\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(new Set(problems.map((p) => p.line)).size).toBe(problems.length);
    expect(problems.every((p) => p.line >= 4 && !p.message.includes('\n'))).toBe(true);
  });

  it('refuses a key given twice', () => {
    expect(syntaxProblems('metadata:\n  name: a\n  name: b\n')).toEqual([
      { line: 3, message: 'Map keys must be unique' },
    ]);
  });
});
