import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger, redactingLogger, type LogFields, type LogLevel } from './logger.ts';
import { MASK, Redactor } from '@nodeless/common';

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
