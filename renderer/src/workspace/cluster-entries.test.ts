import { describe, expect, it } from 'vitest';
import type { ClusterView, WorkspaceCluster } from '@nodeless/backend/api';
import {
  clusterEntries,
  defaultSection,
  documentTitle,
  entrySubtitle,
  machinesView,
  sectionsOf,
} from './cluster-entries.ts';

const inv = (
  id: string,
  name: string,
  hosts = 0,
  source: ClusterView['source'] = 'installed',
): ClusterView => ({
  id,
  name,
  source,
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
      // The inventory lists imported clusters and the demo too, without hosts.
      ['3', inv('3', 'prod', 0, 'imported')],
      ['4', inv('4', 'demo', 0, 'demo')],
      // Removed elsewhere: the pushed workspace list no longer has it.
      ['5', inv('5', 'gone', 0, 'imported')],
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
    expect(sectionsOf(lab)).toEqual(['overview', 'pods', 'machines', 'tenants']);
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

  it('manages machines only of clusters created in Nodeless; the others are read-only', () => {
    const [demo, fresh, lab, prod] = entries;
    if (!demo || !fresh || !lab || !prod) throw new Error('entries missing');
    expect(entries.map((e) => [e.name, e.managed, machinesView(e)])).toEqual([
      ['demo', false, 'read-only'],
      ['fresh', true, 'manage'],
      ['lab', true, 'manage'],
      ['prod', false, 'read-only'],
    ]);
    // Imported and demo clusters open straight into the workspace, Machines read-only.
    expect(sectionsOf(demo)).toEqual(['overview', 'pods', 'machines', 'tenants']);
    expect(defaultSection(demo)).toBe('overview');
    expect(demo.inventory).toBeUndefined();
    expect(prod.inventory).toBeUndefined();
    // An installed cluster the workspace lists before the inventory arrived: read-only for now.
    const early = clusterEntries(new Map(), [ws('1', 'lab', 'installed')]);
    expect(early.map((e) => [e.managed, machinesView(e)])).toEqual([[true, 'read-only']]);
  });
});
