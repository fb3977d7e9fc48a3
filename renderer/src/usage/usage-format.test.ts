/** The Usage section's text: exact money, efficiency (missing is never 0), download names. */
import { describe, expect, it } from 'vitest';
import type { UsageIdle, UsageRow } from '@nodeless/backend/api';
import { GIB } from '@nodeless/common';
import {
  axisLabel,
  downloadName,
  efficiencyCell,
  IDLE_CSV_HEADER,
  idleCsv,
  money,
  percent,
  specText,
} from './usage-format.ts';

describe('money and numbers', () => {
  it('formats integer micro-units exactly', () => {
    expect(money(420_000, 'USD')).toBe('0.42 USD');
    expect(money(415_000, 'USD')).toBe('0.42 USD');
    expect(money(123_456_789, 'EUR', 6)).toBe('123.456789 EUR');
    // 0.1 + 0.2 in micro-units is exact; as floats it would not be.
    expect(money(100_000 + 200_000, 'USD', 6)).toBe('0.300000 USD');
  });

  it('percent from parts per million, one decimal', () => {
    expect(percent(425_000)).toBe('42.5 %');
    expect(percent(1_250_000)).toBe('125.0 %');
    expect(percent(0)).toBe('0.0 %');
  });

  it('spec: the pod’s own, or the time-weighted average of a group', () => {
    const base = {
      key: 'k',
      namespace: 'n',
      pods: 2,
      costMicros: 0,
      efficiency: { state: 'missing' },
    } as const;
    const group: UsageRow = {
      ...base,
      seconds: 100,
      specCpuMilliSeconds: 100 * 750,
      specMemoryKiBSeconds: (100 * 1.5 * GIB) / 1024,
    };
    expect(specText(group)).toBe('avg 0.75 vCPU / 1.5 GiB');
    expect(specText({ ...group, seconds: 0 })).toBe('—');
  });
});

describe('efficiencyCell', () => {
  it('says missing, with why, never 0 %', () => {
    const cell = efficiencyCell({ state: 'missing' }, 'cpu');
    expect(cell.text).toBe('missing');
    expect(cell.missing).toBe(true);
    expect(cell.title).toMatch(/Not 0 %/);
  });

  it('measured: the share, and how much was left out', () => {
    const e = {
      state: 'measured',
      cpuPpm: 420_000,
      memoryPpm: 610_000,
      coveredSeconds: 7200,
      missing: 2,
    } as const;
    expect(efficiencyCell(e, 'cpu').text).toBe('42.0 %');
    expect(efficiencyCell(e, 'memory').text).toBe('61.0 %');
    expect(efficiencyCell(e, 'cpu').title).toBe(
      'Usage ÷ spec over 2 h measured; 2 without usage are left out.',
    );
  });
});

describe('downloadName', () => {
  it('keeps the backend’s name, made safe', () => {
    expect(downloadName('usage-demo-by-pod.csv', [])).toBe('usage-demo-by-pod.csv');
    expect(downloadName('../../etc/passwd', [])).toBe('etc_passwd.csv');
  });

  it('else builds one from what the table shows', () => {
    expect(downloadName(undefined, ['usage', 'shop', 'Deployment/web', 'by-pod', '7d'])).toBe(
      'usage-shop-Deployment_web-by-pod-7d.csv',
    );
    expect(downloadName('', ['idle', '2026-11-01..2026-11-07'])).toBe(
      'idle-2026-11-01_to_2026-11-07.csv',
    );
    expect(downloadName(undefined, [undefined, ''])).toBe('usage.csv');
  });
});

describe('idleCsv', () => {
  it('one exact line per hour under its header', () => {
    const amounts = (c: number, m: number) => ({ cpuMilliSeconds: c, memoryKiBSeconds: m });
    const idle: UsageIdle = {
      currency: 'USD',
      hours: [
        {
          hour: 1_796_000_400,
          capacity: amounts(86_400_000, 100),
          billed: amounts(1_500, 40),
          overhead: amounts(250, 7),
          idle: amounts(86_398_500, 60),
          idleMicros: 1_234_567,
          overcommitted: false,
        },
      ],
      total: {
        capacity: amounts(0, 0),
        billed: amounts(0, 0),
        overhead: amounts(0, 0),
        idle: amounts(0, 0),
        idleMicros: 0,
      },
      hoursWithoutCapacity: 0,
    };
    expect(idleCsv(idle)).toBe(
      `${IDLE_CSV_HEADER}\r\n2026-11-30T01:00:00Z,86400,100,1.5,40,0.25,7,86398.5,60,1.234567,false\r\n`,
    );
  });
});

describe('axisLabel', () => {
  it('UTC, 24-hour: days at midnight and for day buckets', () => {
    expect(axisLabel(Date.parse('2026-12-02T00:00:00Z') / 1000, false)).toBe('12-02');
    expect(axisLabel(Date.parse('2026-12-02T14:00:00Z') / 1000, false)).toBe('14:00');
    expect(axisLabel(Date.parse('2026-12-02T14:00:00Z') / 1000, true)).toBe('12-02');
  });
});
