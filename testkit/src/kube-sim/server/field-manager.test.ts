import { describe, expect, it } from 'vitest';
import { prefixFromUserAgent } from './field-manager.ts';

describe('the manager of a write without fieldManager', () => {
  it('is the User-Agent before its first slash, as upstream derives it', () => {
    expect(prefixFromUserAgent('kubectl/v1.36.3 (linux/amd64) kubernetes/$Format')).toBe('kubectl');
    expect(prefixFromUserAgent('node-fetch')).toBe('node-fetch');
    expect(prefixFromUserAgent('')).toBe('');
  });

  it('leaves out unprintable characters and stops at 128 bytes', () => {
    expect(prefixFromUserAgent('a\u0000b\tc/1')).toBe('abc');
    expect(prefixFromUserAgent(`${'x'.repeat(127)}é/1`)).toBe('x'.repeat(127));
  });
});
