import { describe, expect, it } from 'vitest';
import type { Phase, StepState } from '@nodeless/common';
import type { BootstrapStreamEvent, RunStepView, RunView } from '@nodeless/backend/api';
import { runActions, runGrid } from './grid-model.ts';
import { applyBootstrap, CLUSTER_ROW, emptyBootstrap, type BootstrapInput } from './run-model.ts';

const step = (
  key: string,
  phase: Phase,
  hostId: string | null,
  state: StepState = 'pending',
  extra: Partial<RunStepView> = {},
): RunStepView => ({
  key,
  phase,
  hostId,
  state,
  current: 0,
  max: 0,
  description: '',
  detail: '',
  ...extra,
});

const view = (over: Partial<RunView> = {}): RunView => ({
  id: 'run-1',
  clusterId: 'c1',
  kind: 'install',
  state: 'running',
  steps: [
    step('prepare-os@h1', 'prepare-os', 'h1'),
    step('stage-artifacts@h1', 'stage-artifacts', 'h1'),
    step('prepare-os@h2', 'prepare-os', 'h2'),
    step('stage-artifacts@h2', 'stage-artifacts', 'h2'),
    step('k3s-server-init@h1', 'k3s-server-init', 'h1'),
    step('k3s-agent-join@h2', 'k3s-agent-join', 'h2'),
    step('runtime-classes', 'cluster-baseline', null),
    step('policies', 'cluster-baseline', null),
  ],
  changed: [],
  failed: [],
  startedAt: '2025-01-01T00:00:00.000Z',
  finishedAt: null,
  ...over,
});

const stepEvent = (
  key: string,
  phase: Phase,
  hostId: string | null,
  state: StepState,
  current = 0,
  max = 0,
  runId = 'run-1',
): BootstrapStreamEvent => ({
  type: 'run.step',
  runId,
  event: {
    cluster: 'c',
    host: hostId,
    hostId,
    step: key,
    phase,
    state,
    current,
    max,
    description: state,
  },
});

function apply(inputs: BootstrapInput[]) {
  const s = applyBootstrap(emptyBootstrap, inputs);
  if (!s.run) throw new Error('no run');
  return s.run;
}

describe('runGrid', () => {
  it('lays out hosts in plan order, the cluster row last, only phases with steps', () => {
    const g = runGrid(apply([{ type: 'run.started', run: view() }]));
    expect(g.rows.map((r) => r.id)).toEqual(['h1', 'h2', CLUSTER_ROW]);
    expect(g.phases).toEqual([
      'prepare-os',
      'stage-artifacts',
      'k3s-server-init',
      'k3s-agent-join',
      'cluster-baseline',
    ]);
    expect(g.rows[0]?.cells.get('k3s-agent-join')?.state).toBe('none');
    expect(g.rows[1]?.cells.get('k3s-agent-join')?.state).toBe('pending');
    expect(g.progress).toBe(0);
    expect(g.totalSteps).toBe(8);
  });

  it('applies step events: running with determinate progress, then done / unchanged', () => {
    const run = apply([
      { type: 'run.started', run: view() },
      stepEvent('prepare-os@h1', 'prepare-os', 'h1', 'unchanged'),
      stepEvent('prepare-os@h2', 'prepare-os', 'h2', 'done'),
      stepEvent('stage-artifacts@h1', 'stage-artifacts', 'h1', 'applying', 25, 100),
    ]);
    const g = runGrid(run);
    const h1 = g.rows[0];
    expect(h1?.cells.get('prepare-os')?.state).toBe('unchanged');
    expect(g.rows[1]?.cells.get('prepare-os')?.state).toBe('done');
    const staging = h1?.cells.get('stage-artifacts');
    expect(staging).toMatchObject({ state: 'running', current: 25, max: 100 });
    // 2 finished + a quarter of one, over 8 steps.
    expect(g.finishedSteps).toBe(2);
    expect(g.progress).toBeCloseTo(2.25 / 8);
    expect(h1).toMatchObject({ finished: 1, total: 3 });
  });

  it('aggregates a cell of several steps; a partly finished cell of a live run is running', () => {
    const live = runGrid(
      apply([
        { type: 'run.started', run: view() },
        stepEvent('runtime-classes', 'cluster-baseline', null, 'done'),
      ]),
    );
    expect(live.rows[2]?.cells.get('cluster-baseline')?.state).toBe('running');
    const stopped = runGrid(
      apply([
        { type: 'run.started', run: view() },
        stepEvent('runtime-classes', 'cluster-baseline', null, 'done'),
        { type: 'run.finished', run: view({ state: 'cancelled', steps: [] }) },
      ]),
    );
    expect(stopped.rows[2]?.cells.get('cluster-baseline')?.state).toBe('pending');
  });

  it('puts the failure message and remedy on the failed cell, others loose', () => {
    const finished = view({
      state: 'failed',
      steps: [step('k3s-server-init@h1', 'k3s-server-init', 'h1', 'failed')],
      failed: [
        {
          step: 'k3s-server-init@h1',
          hostId: 'h1',
          message: 'port 6443 is in use',
          remedy: 'stop it',
        },
        { step: 'connect@h3', hostId: 'h3', message: 'unreachable' },
      ],
    });
    const g = runGrid(
      apply([
        { type: 'run.started', run: view() },
        { type: 'run.finished', run: finished },
      ]),
    );
    const cell = g.rows[0]?.cells.get('k3s-server-init');
    expect(cell?.state).toBe('failed');
    expect(cell?.failure).toMatchObject({ message: 'port 6443 is in use', remedy: 'stop it' });
    expect(g.looseFailures.map((f) => f.step)).toEqual(['connect@h3']);
  });

  it('a failure in a cell wins over running and cancelled steps', () => {
    const run = apply([
      {
        type: 'run.started',
        run: view({
          steps: [
            step('a', 'cluster-baseline', null, 'cancelled'),
            step('b', 'cluster-baseline', null, 'applying'),
          ],
        }),
      },
    ]);
    expect(runGrid(run).rows[0]?.cells.get('cluster-baseline')?.state).toBe('running');
    const failed = applyBootstrap({ run }, [stepEvent('a', 'cluster-baseline', null, 'failed')]);
    expect(failed.run && runGrid(failed.run).rows[0]?.cells.get('cluster-baseline')?.state).toBe(
      'failed',
    );
  });

  it('overall progress reaches 1 when every step finished', () => {
    const all = view().steps.map((s) => ({ ...s, state: 'done' as const }));
    const g = runGrid(
      apply([{ type: 'run.finished', run: view({ state: 'succeeded', steps: all }) }]),
    );
    expect(g.progress).toBe(1);
    expect(g.finishedSteps).toBe(8);
  });
});

describe('applyBootstrap', () => {
  it('starts a grid from step events when the run start was missed', () => {
    const run = apply([stepEvent('prepare-os@h1', 'prepare-os', 'h1', 'checking')]);
    expect(run.meta).toMatchObject({ id: 'run-1', state: 'running' });
    expect(runGrid(run).rows[0]?.cells.get('prepare-os')?.state).toBe('running');
  });

  it('a new run replaces the old one; late events of the old run are ignored', () => {
    const first = applyBootstrap(emptyBootstrap, [
      { type: 'run.finished', run: view({ state: 'failed' }) },
    ]);
    const second = applyBootstrap(first, [
      {
        type: 'run.started',
        run: view({ id: 'run-2', startedAt: '2025-01-02T00:00:00.000Z', steps: [] }),
      },
      stepEvent('prepare-os@h1', 'prepare-os', 'h1', 'done', 0, 0, 'run-2'),
      stepEvent('prepare-os@h2', 'prepare-os', 'h2', 'done', 0, 0, 'run-1'),
      { type: 'run.finished', run: view({ state: 'failed' }) },
    ]);
    expect(second.run?.meta.id).toBe('run-2');
    expect([...(second.run?.steps.keys() ?? [])]).toEqual(['prepare-os@h1']);
  });

  it('keeps log lines per host and merges the stored history without repeating', () => {
    const run = apply([
      { type: 'run.started', run: view() },
      { type: 'run.log', runId: 'run-1', step: 'prepare-os@h1', line: 'modprobe overlay' },
      { type: 'run.log', runId: 'run-1', step: 'runtime-classes', line: 'applied' },
      { type: 'run.log', runId: 'run-1', step: 'prepare-os@h9', line: 'unknown step' },
      {
        type: 'logs.loaded',
        runId: 'run-1',
        lines: [
          { step: 'prepare-os@h1', at: 't', line: 'connected' },
          { step: 'prepare-os@h1', at: 't', line: 'modprobe overlay' },
        ],
      },
      { type: 'run.log', runId: 'run-1', step: 'prepare-os@h1', line: 'sysctl' },
      { type: 'run.log', runId: 'other', step: 'prepare-os@h1', line: 'not this run' },
    ]);
    expect(run.logs.get('h1')?.map((l) => l.line)).toEqual([
      'connected',
      'modprobe overlay',
      'sysctl',
    ]);
    expect(run.logs.get(CLUSTER_ROW)?.map((l) => l.line)).toEqual(['applied']);
    expect(run.logs.get('h9')?.map((l) => l.line)).toEqual(['unknown step']);
  });

  it('returns the same state when nothing applies', () => {
    const s = applyBootstrap(emptyBootstrap, [
      { type: 'run.log', runId: 'x', step: 's', line: 'l' },
    ]);
    expect(s).toBe(emptyBootstrap);
  });
});

describe('runActions', () => {
  it('offers Cancel while running, Resume after a stop, Retry after a failure', () => {
    expect(runActions('running')).toEqual({ cancel: true, resume: false, retry: false });
    expect(runActions('failed')).toEqual({ cancel: false, resume: true, retry: true });
    expect(runActions('interrupted')).toEqual({ cancel: false, resume: true, retry: false });
    expect(runActions('cancelled')).toEqual({ cancel: false, resume: true, retry: false });
    expect(runActions('succeeded')).toEqual({ cancel: false, resume: false, retry: false });
  });
});
