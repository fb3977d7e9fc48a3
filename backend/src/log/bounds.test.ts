import { describe, expect, it } from 'vitest';
import { boundForLog } from './bounds.ts';
import { createFileLogger, redactingLogger, type Logger } from './logger.ts';
import { MASK, Redactor } from '@nodeless/common';

/** `[[[…]]]` `depth` levels deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const bounds = { maxDepth: 3, maxString: 5, maxItems: 2, maxNodes: 20 };

describe('boundForLog', () => {
  it('cuts strings, lists, objects and depth, saying how much was left out', () => {
    expect(boundForLog('abcdefgh', bounds)).toBe('abcde…[+3 chars]');
    expect(boundForLog([1, 2, 3, 4], bounds)).toEqual([1, 2, '[+2 more]']);
    expect(boundForLog({ a: 1, b: 2, c: 3 }, bounds)).toEqual({
      a: 1,
      b: 2,
      '…': '[+1 more keys]',
    });
    expect(boundForLog({ a: { b: { c: { d: 1 } } } }, bounds)).toEqual({
      a: { b: { c: '[object]' } },
    });
    expect(boundForLog(nested(10), bounds)).toEqual([[['[array of 1]']]]);
  });

  it('has a node budget for the whole value', () => {
    const out = boundForLog(
      [
        [1, 2],
        [3, 4],
      ],
      { ...bounds, maxNodes: 4 },
    );
    expect(out).toEqual([[1, 2], '[…]']);
  });

  it('turns what JSON cannot write into text', () => {
    expect(boundForLog({ n: 10n, f: () => 1 }, bounds)).toEqual({ n: '10', f: '[function]' });
  });
});

describe('logging hostile input', () => {
  it('redacts and writes a 5,000-level nested value without overflowing the stack', () => {
    const lines: unknown[] = [];
    const inner: Logger = { log: (_l, event, fields) => lines.push({ event, ...fields }) };
    const redactor = new Redactor();
    redactor.register('hunter2-secret');
    const logger = redactingLogger(inner, redactor);
    logger.log('info', 'api.call', {
      input: { deep: nested(5000), password: 'never', note: `x${'hunter2-secret'.repeat(2)}` },
    });
    const text = JSON.stringify(lines);
    expect(text.length).toBeLessThan(4000);
    expect(text).not.toContain('hunter2-secret');
    expect(text).not.toContain('never');
    expect(lines[0]).toMatchObject({ input: { password: MASK, note: `x${MASK}${MASK}` } });
  });

  it('cuts a long rejected input after redaction, so a cut never splits a secret', () => {
    const lines: unknown[] = [];
    const redactor = new Redactor();
    const secret = `s-${'q'.repeat(3000)}`;
    redactor.register(secret);
    redactingLogger({ log: (_l, _e, f) => lines.push(f) }, redactor).log('info', 'x', {
      address: `${secret}${'z'.repeat(10_000)}`,
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('qqqq');
    expect(text).toContain('…[+');
    expect(text.length).toBeLessThan(2500);
  });

  it('never throws, whatever the logger underneath does', () => {
    const broken: Logger = {
      log: () => {
        throw new Error('disk on fire');
      },
    };
    expect(() => redactingLogger(broken, new Redactor()).log('info', 'e', { a: 1 })).not.toThrow();
  });

  it('the file logger keeps the event when a field cannot be written as JSON', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-log-'));
    const file = path.join(dir, 'x.log');
    const logger = createFileLogger({ file });
    expect(() => logger.log('info', 'odd', { n: 1n })).not.toThrow();
    logger.close?.();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
      event: 'odd',
      logError: 'TypeError',
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
