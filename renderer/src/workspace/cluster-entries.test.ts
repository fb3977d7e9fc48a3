import { describe, expect, it } from 'vitest';
import type { ClusterView, WorkspaceCluster } from '@nodeless/backend/api';
import {
  clusterEntries,
  defaultSection,
  documentTitle,
  entrySubtitle,
  sectionsOf,
} from './cluster-entries.ts';

const inv = (id: string, name: string, hosts = 0): ClusterView => ({
  id,
  name,
  createdAt: '',
  updatedAt: '',
  hosts: Array.from({ length: hosts }, () => ({}) as ClusterView['hosts'][number]),
});
const ws = (id: string, name: string, source: WorkspaceCluster['source'], context?: string) => ({
  id,
  name,
  source,
  servers: ['https://10.0.0.1:6443'],
  ...(context ? { context } : {}),
});

describe('clusterEntries', () => {
  const entries = clusterEntries(
    new Map([
      ['1', inv('1', 'lab', 3)],
      ['2', inv('2', 'fresh')],
    ]),
    [
      ws('1', 'lab-old', 'installed'),
      ws('3', 'prod', 'imported', 'prod-admin'),
      ws('4', 'demo', 'demo'),
    ],
  );

  it('merges both lists by id, by name, keeping the inventory name', () => {
    expect(entries.map((e) => [e.id, e.name, e.source])).toEqual([
      ['4', 'demo', 'demo'],
      ['2', 'fresh', undefined],
      ['1', 'lab', 'installed'],
      ['3', 'prod', 'imported'],
    ]);
  });

  it('gives sections by what a cluster has, and labels the demo', () => {
    const [demo, fresh, lab, prod] = entries;
    if (!demo || !fresh || !lab || !prod) throw new Error('entries missing');
    expect(sectionsOf(lab)).toEqual(['overview', 'pods', 'machines']);
    expect(sectionsOf(fresh)).toEqual(['machines']);
    expect(defaultSection(fresh)).toBe('machines');
    expect(defaultSection(prod)).toBe('overview');
    expect(entries.map(entrySubtitle)).toEqual([
      'Demo · simulated',
      '0 hosts',
      'Installed · 3 hosts',
      'Imported · prod-admin',
    ]);
    expect(documentTitle(demo, 'Pods')).toBe('Pods · demo (Demo · simulated) — Nodeless');
    expect(documentTitle(lab)).toBe('lab — Nodeless');
    expect(documentTitle(undefined)).toBe('Nodeless');
  });
});
