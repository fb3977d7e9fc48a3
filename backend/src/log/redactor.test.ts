import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger, redactingLogger, type LogFields, type LogLevel } from './logger.ts';
import { MASK, Redactor } from './redactor.ts';

describe('Redactor', () => {
  it('masks every occurrence of every registered secret', () => {
    const r = new Redactor();
    r.register('hunter2');
    r.register('s3cr3t-token');
    expect(r.redact('a hunter2 b hunter2 c s3cr3t-token')).toBe(`a ${MASK} b ${MASK} c ${MASK}`);
    expect(r.redact('nothing here')).toBe('nothing here');
  });

  it('masks a longer secret whole when it contains a shorter one', () => {
    const r = new Redactor();
    r.register('abc');
    r.register('xxabcxx');
    expect(r.redact('-xxabcxx-abc-')).toBe(`-${MASK}-${MASK}-`);
  });

  it('masks values under secret-looking keys even when never registered', () => {
    const r = new Redactor();
    const input = {
      path: 'hosts.add',
      input: {
        address: '10.0.0.1',
        auth: { kind: 'password', password: 'never-registered' },
        sudo: { kind: 'password', password: 'also-never' },
        key: { passphrase: 'pp' },
      },
      headers: { authorization: 'Bearer abc', Cookie: 'nodeless_token=abc' },
      token: 'tok',
    };
    const out = r.redactValue(input);
    const text = JSON.stringify(out);
    for (const secret of ['never-registered', 'also-never', '"pp"', 'Bearer abc', 'tok"']) {
      expect(text).not.toContain(secret);
    }
    expect(out).toMatchObject({
      path: 'hosts.add',
      input: { address: '10.0.0.1', auth: { kind: 'password', password: MASK } },
      headers: { authorization: MASK, Cookie: MASK },
      token: MASK,
    });
    // The input itself is not modified.
    expect(input.input.auth.password).toBe('never-registered');
  });

  it('masks registered secrets inside nested strings, arrays and errors', () => {
    const r = new Redactor();
    r.register('pa55word');
    const out = r.redactValue({
      list: ['x pa55word y', 3, null],
      nested: { message: 'login with pa55word failed' },
      error: new Error('bad pa55word'),
    });
    expect(JSON.stringify(out)).not.toContain('pa55word');
    expect(out).toMatchObject({ list: [`x ${MASK} y`, 3, null] });
  });

  it('survives cycles and buffers without printing their content', () => {
    const r = new Redactor();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const out = r.redactValue({ cyclic, blob: Buffer.from('secret bytes') }) as Record<
      string,
      unknown
    >;
    expect(JSON.stringify(out)).not.toContain('secret bytes');
    expect(out.blob).toBe('[12 bytes]');
  });
});

describe('redactingLogger', () => {
  it('writes JSON lines to the file with secrets masked in message and fields', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-log-'));
    try {
      const file = path.join(dir, 'logs', 'backend.log');
      const redactor = new Redactor();
      const logger = redactingLogger(
        createFileLogger({ file, clock: () => new Date('2030-01-01T00:00:00Z') }),
        redactor,
      );
      redactor.register('topsecret');
      logger.log('info', 'api.call topsecret', { input: { note: 'x topsecret y' }, n: 1 });
      logger.close?.();
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '')).toEqual({
        time: '2030-01-01T00:00:00.000Z',
        level: 'info',
        event: `api.call ${MASK}`,
        input: { note: `x ${MASK} y` },
        n: 1,
      });
      if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('redacts before an injected logger sees anything', () => {
    const seen: [LogLevel, string, LogFields | undefined][] = [];
    const redactor = new Redactor();
    redactor.register('launch-token-value');
    const logger = redactingLogger(
      { log: (level, event, fields) => void seen.push([level, event, fields]) },
      redactor,
    );
    logger.log('warn', 'refused launch-token-value', {
      password: 'p',
      url: '/?launch-token-value',
    });
    expect(JSON.stringify(seen)).not.toContain('launch-token-value');
    expect(seen[0]?.[2]).toEqual({ password: MASK, url: `/?${MASK}` });
  });
});
