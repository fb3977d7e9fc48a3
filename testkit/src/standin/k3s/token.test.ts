import { describe, expect, it } from 'vitest';
import { caHash, formatToken, parseToken } from './token.ts';

describe('k3s token', () => {
  const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  it('formats K10<sha256 of the CA PEM>::server:<password> and parses it back', () => {
    const t = formatToken(ca, 'pw');
    expect(t).toBe(`K10${caHash(ca)}::server:pw`);
    expect(parseToken(t)).toEqual({ caHash: caHash(ca), user: 'server', password: 'pw' });
  });
  it('accepts a short token and rejects a malformed full one', () => {
    expect(parseToken('just-a-password')).toEqual({ password: 'just-a-password' });
    expect(() => parseToken('K10nothex::x')).toThrow(
      /must be in format K10<CA-HASH>::<USERNAME>:<PASSWORD>/,
    );
  });
});
