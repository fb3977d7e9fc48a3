import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from './concurrency.ts';
import { Redactor } from '@nodeless/common';
import { redactingLogger, type Logger } from './logger.ts';
import { shellJoin, shellQuote } from './shell-quote.ts';

describe('shellQuote', () => {
  it.each([
    'plain',
    'with space',
    "it's",
    '$(rm -rf /)',
    '`id`',
    'a;b|c&d',
    '',
    'new\nline',
    '*?[]',
    "'",
  ])('round-trips %j through a real sh', (word) => {
    const out = execFileSync('sh', ['-c', `printf '%s' ${shellQuote(word)}`], { encoding: 'utf8' });
    expect(out).toBe(word);
  });
  it('leaves safe words bare and joins', () => {
    expect(shellJoin(['ls', '-l', '/var/lib', 'a b'])).toBe("ls -l /var/lib 'a b'");
  });
});

describe('mapWithConcurrency', () => {
  it('keeps order and never exceeds the limit', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapWithConcurrency([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
  it('rejects a bad limit', async () => {
    await expect(mapWithConcurrency([1], 0, async (x) => x)).rejects.toThrow(RangeError);
  });
});

describe('redactingLogger', () => {
  it('wraps a logger', () => {
    const lines: string[] = [];
    const inner: Logger = { log: (_l, m, f) => lines.push(`${m} ${JSON.stringify(f)}`) };
    redactingLogger(inner, new Redactor(['s3cret!']).fn).log('info', 'got s3cret!', {
      detail: 'again s3cret!',
      n: 1,
    });
    expect(lines[0]).not.toContain('s3cret!');
    expect(lines[0]).toContain('***');
  });
});
