import { describe, expect, it } from 'vitest';
import { MASK, Redactor } from './redact.ts';

describe('Redactor', () => {
  it('masks every occurrence of every registered secret', () => {
    const r = new Redactor();
    r.register('hunter2');
    r.register('s3cr3t-token');
    expect(r.redact('a hunter2 b hunter2 c s3cr3t-token')).toBe(`a ${MASK} b ${MASK} c ${MASK}`);
    expect(r.redact('nothing here')).toBe('nothing here');
  });

  it('masks a longer secret whole when it contains a shorter one', () => {
    const r = new Redactor(['abc', 'xxabcxx']);
    expect(r.redact('-xxabcxx-abc-')).toBe(`-${MASK}-${MASK}-`);
    expect(r.fn('pw=xxabcxx')).toBe(`pw=${MASK}`);
  });

  it('skips empty, missing and very short values', () => {
    const r = new Redactor(['hunter2', undefined, '', 'x']);
    expect(r.redact('pw=hunter2; x stays')).toBe(`pw=${MASK}; x stays`);
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
    const r = new Redactor(['pa55word']);
    const out = r.redactValue({
      list: ['x pa55word y', 3, null],
      nested: { message: 'login with pa55word failed' },
      error: new Error('bad pa55word'),
    });
    expect(JSON.stringify(out)).not.toContain('pa55word');
    expect(out).toMatchObject({ list: [`x ${MASK} y`, 3, null] });
  });

  it('survives cycles, deep nesting and binary data without printing their content', () => {
    const r = new Redactor();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const blob = new TextEncoder().encode('secret bytes');
    const out = r.redactValue({ cyclic, blob }) as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toContain('secret bytes');
    expect(out.blob).toBe('[12 bytes]');
    expect(out.cyclic).toMatchObject({ name: 'loop', self: '[circular]' });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100; i++) deep = { deep };
    expect(JSON.stringify(r.redactValue(deep))).toContain('[nested too deep]');
  });
});
