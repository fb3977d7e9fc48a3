import { describe, expect, it } from 'vitest';
import { MissingRequirementError, isCi, requireOrSkip } from './require-or-skip.ts';

function run(available: boolean, env: Record<string, string | undefined>, ciMaySkip?: boolean) {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const opts = ciMaySkip === undefined ? { env, log } : { env, log, ciMaySkip };
  const result = (() => {
    try {
      return requireOrSkip('/usr/bin/kubectl is missing', available, opts);
    } catch (error) {
      return error;
    }
  })();
  return { result, lines };
}

describe('requireOrSkip', () => {
  it('runs the test when the requirement is there, CI or not, and prints nothing', () => {
    expect(run(true, {})).toEqual({ result: false, lines: [] });
    expect(run(true, { CI: 'true' })).toEqual({ result: false, lines: [] });
  });

  it('outside CI: skips, printing the reason', () => {
    expect(run(false, {})).toEqual({
      result: true,
      lines: ['skipped: /usr/bin/kubectl is missing'],
    });
    expect(run(false, { CI: 'false' }).result).toBe(true);
  });

  it('under CI=true: throws naming the reason instead of skipping, and prints no skip', () => {
    const { result, lines } = run(false, { CI: 'true' });
    expect(result).toBeInstanceOf(MissingRequirementError);
    expect((result as Error).message).toMatch(
      /^CI=true, so this test fails instead of skipping: \/usr\/bin\/kubectl is missing\./,
    );
    expect(lines).toEqual([]);
  });

  it('under CI=true, only a requirement declared ciMaySkip skips (with its reason)', () => {
    expect(run(false, { CI: 'true' }, true)).toEqual({
      result: true,
      lines: ['skipped: /usr/bin/kubectl is missing'],
    });
  });
});

describe('isCi', () => {
  it('is true for any CI value but empty, 0 and false', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'TRUE' })).toBe(true);
    expect(isCi({})).toBe(false);
    expect(isCi({ CI: '' })).toBe(false);
    expect(isCi({ CI: '0' })).toBe(false);
    expect(isCi({ CI: 'false' })).toBe(false);
  });
});
