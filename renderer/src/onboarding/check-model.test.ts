import { describe, expect, it } from 'vitest';
import {
  applyOnboarding,
  emptyOnboarding,
  rowFromReport,
  rowOutcome,
  rowProgress,
  runProgress,
  type CheckRun,
  type ClusterOnboarding,
  type GridRow,
  type OnboardingInput,
} from './check-model.ts';
import type { ClusterCheckView, HostCheckView, OnboardingEvent } from '@nodeless/backend/api';
import { createOnboardingStore } from './onboarding-store.ts';

type Progress = Extract<OnboardingEvent, { type: 'check.progress' }>;
const STEP_NO = { connect: 1, trust: 2, privilege: 3, facts: 4, preflight: 5 } as const;

function progress(
  hostId: string,
  step: Progress['step'],
  state: Progress['state'],
  checkId = 'c1',
): Progress {
  return {
    type: 'check.progress',
    checkId,
    hostId,
    step,
    state,
    current: STEP_NO[step],
    max: 5,
    description: `${step} ${state}`,
  };
}

function started(hostIds: string[], checkId = 'c1'): OnboardingInput {
  return { type: 'check.started', checkId, clusterId: 'k', hostIds, at: '2025-01-01T00:00:00Z' };
}

function hostView(hostId: string, over: Partial<HostCheckView> = {}): HostCheckView {
  return {
    hostId,
    address: `10.0.0.${hostId}`,
    port: 22,
    role: 'agent',
    status: 'ok',
    verdicts: [],
    ...over,
  };
}

function report(
  checkId: string,
  hosts: HostCheckView[],
  finishedAt = '2025-01-01T00:01:00Z',
): ClusterCheckView {
  return {
    checkId,
    clusterId: 'k',
    startedAt: '2025-01-01T00:00:00Z',
    finishedAt,
    hosts,
    cluster: { verdicts: [] },
    capacity: { totalVcpu: 0, totalMemoryBytes: 0, podsBySpec: [] },
    blocking: false,
  };
}

function runOf(s: ClusterOnboarding): CheckRun {
  if (!s.run) throw new Error('no run in state');
  return s.run;
}

function rowOf(s: ClusterOnboarding, hostId: string): GridRow {
  const row = runOf(s).rows.get(hostId);
  if (!row) throw new Error(`no row for ${hostId}`);
  return row;
}

/** The engine's event order for a host that passes every step. */
function happyHost(hostId: string, checkId = 'c1'): Progress[] {
  return [
    progress(hostId, 'connect', 'running', checkId),
    progress(hostId, 'connect', 'done', checkId),
    progress(hostId, 'trust', 'done', checkId),
    progress(hostId, 'privilege', 'running', checkId),
    progress(hostId, 'privilege', 'done', checkId),
    progress(hostId, 'facts', 'running', checkId),
    progress(hostId, 'facts', 'done', checkId),
    progress(hostId, 'preflight', 'running', checkId),
    progress(hostId, 'preflight', 'done', checkId),
  ];
}

describe('applyOnboarding: the live grid', () => {
  it('starts every listed host as waiting, in the order given', () => {
    const s = applyOnboarding(emptyOnboarding, [started(['b', 'a'])]);
    expect([...(s.run?.rows.keys() ?? [])]).toEqual(['b', 'a']);
    expect(rowOutcome(rowOf(s, 'a'))).toBe('waiting');
    expect(s.run?.running).toBe(true);
  });

  it('tracks the running cell and determinate progress per host and overall', () => {
    const s = applyOnboarding(emptyOnboarding, [
      started(['a', 'b']),
      ...happyHost('a').slice(0, 5),
      progress('b', 'connect', 'running'),
    ]);
    const a = rowOf(s, 'a');
    expect(a.privilege.state).toBe('done');
    expect(a.facts.state).toBe('pending');
    expect(rowProgress(a)).toEqual({ current: 3, max: 5 });
    expect(rowOf(s, 'b').connect.state).toBe('running');
    expect(runProgress(runOf(s))).toEqual({ current: 3, max: 10 });
  });

  it('on failure marks the failed cell, settles earlier running cells, skips the rest', () => {
    const s = applyOnboarding(emptyOnboarding, [
      started(['a']),
      progress('a', 'connect', 'running'),
      progress('a', 'trust', 'failed'),
    ]);
    const row = rowOf(s, 'a');
    expect(row.connect.state).toBe('done');
    expect(row.trust).toEqual({ state: 'failed', description: 'trust failed' });
    expect([row.privilege.state, row.facts.state, row.preflight.state]).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ]);
    // A failed host is finished: its bar is full, the other host's is not.
    expect(rowProgress(row)).toEqual({ current: 5, max: 5 });
    expect(rowOutcome(row)).toBe('failed');
  });

  it('builds the grid of a check that began before this window subscribed', () => {
    const s = applyOnboarding(emptyOnboarding, [progress('x', 'facts', 'running', 'c9')]);
    expect(s.run?.checkId).toBe('c9');
    expect(s.run?.rows.get('x')?.facts.state).toBe('running');
    expect(s.run?.rows.get('x')?.connect.state).toBe('pending');
  });

  it('a new check replaces the grid but keeps showing the previous report', () => {
    const first = applyOnboarding(emptyOnboarding, [
      started(['a']),
      ...happyHost('a'),
      { type: 'check.finished', checkId: 'c1', report: report('c1', [hostView('a')]) },
    ]);
    const s = applyOnboarding(first, [started(['a'], 'c2')]);
    expect(s.run?.checkId).toBe('c2');
    expect(rowOutcome(rowOf(s, 'a'))).toBe('waiting');
    expect(s.report?.checkId).toBe('c1');
  });
});

describe('applyOnboarding: reports', () => {
  it('finishing keeps live descriptions and stops the run', () => {
    const s = applyOnboarding(emptyOnboarding, [
      started(['a']),
      ...happyHost('a'),
      { type: 'check.finished', checkId: 'c1', report: report('c1', [hostView('a')]) },
    ]);
    expect(s.run?.running).toBe(false);
    expect(s.run?.rows.get('a')?.facts).toEqual({ state: 'done', description: 'facts done' });
    expect(runProgress(runOf(s))).toEqual({ current: 5, max: 5 });
  });

  it('a report alone (reload) yields the grid it implies', () => {
    const r = report('c1', [
      hostView('a'),
      hostView('b', {
        status: 'failed',
        failure: {
          step: 'privilege',
          kind: 'sudo',
          message: 'wrong sudo password',
          remedy: 'fix it',
        },
      }),
      hostView('c', { status: 'needs-trust' }),
    ]);
    const s = applyOnboarding(emptyOnboarding, [
      { type: 'check.finished', checkId: 'c1', report: r },
    ]);
    expect(rowOutcome(rowOf(s, 'a'))).toBe('done');
    const b = rowOf(s, 'b');
    expect([b.connect.state, b.trust.state, b.privilege.state, b.facts.state]).toEqual([
      'done',
      'done',
      'failed',
      'skipped',
    ]);
    expect(b.privilege.description).toBe('wrong sudo password');
    expect(rowOf(s, 'c').trust.state).toBe('failed');
  });

  it('ignores an older lastReport that arrives after a newer event', () => {
    const newer = report('c2', [hostView('a')], '2025-01-02T00:00:00Z');
    const older = report('c1', [hostView('a')], '2025-01-01T00:00:00Z');
    const s = applyOnboarding(emptyOnboarding, [
      { type: 'check.finished', checkId: 'c2', report: newer },
    ]);
    expect(applyOnboarding(s, [{ type: 'report.loaded', report: older }])).toBe(s);
    const loaded = applyOnboarding(emptyOnboarding, [{ type: 'report.loaded', report: older }]);
    expect(loaded.report?.checkId).toBe('c1');
  });

  it('a loaded report does not replace the grid of a check still running', () => {
    const s = applyOnboarding(emptyOnboarding, [
      started(['a'], 'c3'),
      { type: 'report.loaded', report: report('c1', [hostView('a')]) },
    ]);
    expect(s.run?.checkId).toBe('c3');
    expect(s.run?.running).toBe(true);
    expect(s.report?.checkId).toBe('c1');
  });

  it('drops late progress of a check whose report is in', () => {
    const s = applyOnboarding(emptyOnboarding, [
      { type: 'check.finished', checkId: 'c1', report: report('c1', [hostView('a')]) },
    ]);
    expect(applyOnboarding(s, [progress('a', 'facts', 'running', 'c1')])).toBe(s);
  });

  it('rowFromReport treats an unknown failure step as connect', () => {
    const row = rowFromReport(
      hostView('z', {
        status: 'failed',
        failure: { step: 'weird', kind: 'x', message: 'm', remedy: 'r' },
      }),
    );
    expect(row.connect.state).toBe('failed');
  });
});

describe('createOnboardingStore', () => {
  it('batches events of several clusters into one update', () => {
    const pending: (() => void)[] = [];
    const o = createOnboardingStore((f) => pending.push(f));
    let updates = 0;
    o.store.subscribe(() => updates++);
    o.push('k1', started(['a']));
    o.push('k2', started(['b']));
    for (const e of happyHost('a')) o.push('k1', e);
    expect(pending).toHaveLength(1);
    pending[0]?.();
    expect(updates).toBe(1);
    expect(rowOutcome(rowOf(o.store.getState().clusters.get('k1') ?? emptyOnboarding, 'a'))).toBe(
      'done',
    );
    expect(o.store.getState().clusters.get('k2')?.run?.rows.has('b')).toBe(true);
  });

  it('records and clears a stream error without redundant updates', () => {
    const o = createOnboardingStore((f) => f());
    let updates = 0;
    o.store.subscribe(() => updates++);
    o.setStreamError('k', 'gone');
    o.setStreamError('k', 'gone');
    o.setStreamError('k', null);
    expect(updates).toBe(2);
    expect(o.store.getState().streamErrors.size).toBe(0);
  });
});
