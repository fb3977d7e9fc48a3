import type { WorkloadRow } from '@nodeless/backend/api';
import { describe, expect, it } from 'vitest';
import {
  isSystemNamespace,
  listItems,
  ownsPod,
  readyText,
  sizeWords,
  stateClass,
  statusText,
} from './workloads-model.ts';

const row = (name: string, namespace: string, extra: Partial<WorkloadRow> = {}): WorkloadRow => ({
  uid: `${namespace}/${name}`,
  kind: 'Deployment',
  namespace,
  name,
  ready: 1,
  desired: 1,
  images: ['nginx:1.27'],
  state: 'available',
  status: 'Available',
  warning: false,
  paused: false,
  ...extra,
});

describe('workloads list model', () => {
  const rows = [
    row('web', 'shop'),
    row('api', 'shop', {
      warning: true,
      state: 'failed',
      status: 'Failed: ProgressDeadlineExceeded',
    }),
    row('trainer', 'ml', { images: ['ghcr.io/example/trainer:1'] }),
  ];

  it('groups by namespace, sorted, with counts and warnings; collapsed groups hide rows', () => {
    const items = listItems(rows, '', new Set());
    expect(
      items.map((i) =>
        i.type === 'group' ? `# ${i.namespace} ${i.count}/${i.warnings}` : i.row.name,
      ),
    ).toEqual(['# ml 1/0', 'trainer', '# shop 2/1', 'api', 'web']);
    const folded = listItems(rows, '', new Set(['shop']));
    expect(folded.map((i) => (i.type === 'group' ? `# ${i.namespace}` : i.row.name))).toEqual([
      '# ml',
      'trainer',
      '# shop',
    ]);
  });

  it('filters by name, image or status words', () => {
    expect(listItems(rows, 'trainer:1', new Set()).length).toBe(2);
    expect(
      listItems(rows, 'deadline', new Set()).map((i) => i.type === 'row' && i.row.name),
    ).toEqual([false, 'api']);
  });

  it('says ready, size and status colour in words', () => {
    expect(readyText(row('a', 'x', { ready: 2, desired: 3 }))).toBe('2/3');
    expect(readyText(row('a', 'x', { kind: 'CronJob', ready: 1, desired: 0 }))).toBe('1 active');
    expect(sizeWords('2x4')).toBe('2 vCPU / 4 GiB');
    expect(sizeWords(undefined)).toBeUndefined();
    expect(stateClass(rows[1] as WorkloadRow)).toBe('st-bad');
    expect(stateClass(row('a', 'x', { state: 'progressing', warning: true }))).toBe('st-warn');
  });

  it('matches a workload to its pods through the resolved owner', () => {
    const ref = { kind: 'Deployment' as const, namespace: 'shop', name: 'web' };
    expect(
      ownsPod(ref, {
        namespace: 'shop',
        name: 'web-1',
        owner: { kind: 'Deployment', name: 'web' },
      }),
    ).toBe(true);
    expect(
      ownsPod(ref, { namespace: 'ml', name: 'web-1', owner: { kind: 'Deployment', name: 'web' } }),
    ).toBe(false);
    expect(
      ownsPod(
        { kind: 'Pod', namespace: 'shop', name: 'solo' },
        { namespace: 'shop', name: 'solo' },
      ),
    ).toBe(true);
  });

  it('offers no namespace delete for the system namespaces the backend refuses', () => {
    expect(isSystemNamespace('kube-system')).toBe(true);
    expect(isSystemNamespace('kube-public')).toBe(true);
    expect(isSystemNamespace('nodeless-system')).toBe(true);
    expect(isSystemNamespace('default')).toBe(false);
    expect(isSystemNamespace('shop')).toBe(false);
  });

  it('says pods waiting for room before the status', () => {
    expect(statusText(row('web', 'shop', { status: 'Available' }))).toBe('Available');
    const waiting = row('trainer', 'ml', {
      status: 'Progressing: 0 of 1 available',
      poolFull: {
        pods: 1,
        sizes: [{ size: '16x64', count: 1 }],
        short: ['cpu'],
        free: { cpuMilli: 10000, memoryBytes: 0 },
        message: 'm',
      },
    });
    expect(statusText(waiting)).toBe('Pool full: 1 waiting · Progressing: 0 of 1 available');
  });
});
