import { describe, expect, it } from 'vitest';
import { LogResume, stampOf } from './log-resume.ts';

describe('LogResume', () => {
  it('compares kubelet timestamps as numbers, not text', () => {
    const whole = stampOf('2026-12-02T17:00:05Z');
    const fraction = stampOf('2026-12-02T17:00:05.1Z');
    expect(whole).toBeDefined();
    expect(fraction).toBeDefined();
    // As text "…05Z" sorts after "…05.1Z"; in time it is before.
    expect('2026-12-02T17:00:05Z' > '2026-12-02T17:00:05.1Z').toBe(true);
    expect(whole && fraction && (whole[0] - fraction[0] || whole[1] - fraction[1])).toBeLessThan(0);
    expect(stampOf('not a time')).toBeUndefined();
  });

  it('reopens from the last second and drops only what was shown', () => {
    const r = new LogResume();
    expect(r.sinceTime()).toBeUndefined();
    expect(r.accept('2026-12-02T17:00:04.9Z', 'a')).toBe(true);
    expect(r.accept('2026-12-02T17:00:05.25Z', 'b')).toBe(true);
    expect(r.accept('2026-12-02T17:00:05.25Z', 'c')).toBe(true);
    expect(r.sinceTime()).toBe('2026-12-02T17:00:05Z');
    r.reopen();
    // The reopened stream repeats the second from its start.
    expect(r.accept('2026-12-02T17:00:05.1Z', 'older in that second')).toBe(false);
    expect(r.accept('2026-12-02T17:00:05.25Z', 'b')).toBe(false);
    expect(r.accept('2026-12-02T17:00:05.25Z', 'c')).toBe(false);
    expect(r.accept('2026-12-02T17:00:05.25Z', 'd, same instant, not shown yet')).toBe(true);
    expect(r.accept('2026-12-02T17:00:06Z', 'e')).toBe(true);
    // Past the resume point, a line repeating an earlier text is new output.
    expect(r.accept('2026-12-02T17:00:07Z', 'b')).toBe(true);
  });

  it('shows lines without a timestamp', () => {
    const r = new LogResume();
    r.reopen();
    expect(r.accept(undefined, 'plain')).toBe(true);
  });
});
