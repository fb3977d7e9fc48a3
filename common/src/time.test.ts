import { describe, expect, it } from 'vitest';
import { rfc3339 } from './time.ts';

describe('rfc3339', () => {
  it('writes whole UTC seconds with Z, dropping a fraction', () => {
    expect(rfc3339(Date.UTC(2026, 11, 2, 10) / 1000)).toBe('2026-12-02T10:00:00Z');
    expect(rfc3339(Date.UTC(2026, 11, 2, 10, 0, 5, 999) / 1000)).toBe('2026-12-02T10:00:05Z');
    expect(rfc3339(0)).toBe('1970-01-01T00:00:00Z');
  });
});
