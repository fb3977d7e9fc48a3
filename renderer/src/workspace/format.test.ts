import { describe, expect, it } from 'vitest';
import { GIB, MIB } from '@nodeless/common';
import {
  asSentence,
  formatAge,
  formatClock,
  formatCount,
  formatCpu,
  formatMemory,
  plural,
} from './format.ts';

describe('quantities', () => {
  it('writes millicores as vCPU with at most 2 decimals', () => {
    expect([0, 250, 500, 1234, 1999, 2000, 16000].map(formatCpu)).toEqual([
      '0 vCPU',
      '0.25 vCPU',
      '0.5 vCPU',
      '1.23 vCPU',
      '2 vCPU',
      '2 vCPU',
      '16 vCPU',
    ]);
  });

  it('writes bytes as GiB, or MiB below one GiB', () => {
    expect(formatMemory(512 * MIB)).toBe('512 MiB');
    expect(formatMemory(GIB)).toBe('1 GiB');
    expect(formatMemory(1.5 * GIB)).toBe('1.5 GiB');
    expect(formatMemory(7.8123 * GIB)).toBe('7.81 GiB');
    expect(formatMemory(0)).toBe('0 MiB');
    expect(formatMemory(-2 * GIB)).toBe('-2 GiB');
  });

  it('groups counts', () => {
    expect(formatCount(100000)).toBe('100,000');
    expect(plural(1, 'pod')).toBe('1 pod');
    expect(plural(12345, 'pod')).toBe('12,345 pods');
    expect(plural(2, 'machine')).toBe('2 machines');
  });
});

describe('formatAge', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  it('follows kubectl', () => {
    const cases: [number, string][] = [
      [-5 * s, '0s'],
      [45 * s, '45s'],
      [119 * s, '119s'],
      [5 * m + 30 * s, '5m30s'],
      [5 * m, '5m'],
      [45 * m, '45m'],
      [3 * h + 20 * m, '3h20m'],
      [20 * h, '20h'],
      [3 * d + 4 * h, '3d4h'],
      [200 * d, '200d'],
      [2 * 365 * d + 30 * d, '2y30d'],
    ];
    for (const [ms, text] of cases) expect(formatAge(ms)).toBe(text);
  });
});

describe('formatClock', () => {
  it('writes local HH:MM', () => {
    expect(formatClock(new Date(2025, 0, 1, 7, 5).getTime())).toBe('07:05');
  });
});

describe('asSentence', () => {
  it('capitalises a backend message and ends it with a full stop, once', () => {
    expect(asSentence('no API server answered (https://10.0.0.1:6443): ECONNREFUSED')).toBe(
      'No API server answered (https://10.0.0.1:6443): ECONNREFUSED.',
    );
    expect(asSentence('403: pods is forbidden.')).toBe('403: pods is forbidden.');
    expect(asSentence('  ')).toBe('');
  });
});
