import { describe, expect, it } from 'vitest';
import { ConflictError } from '../onboarding/errors.ts';
import {
  RunInFlightError,
  describeRun,
  ownerGone,
  type OwnerPolicy,
  type ProcessStatus,
} from './run-owner.ts';
import type { RunRow } from './runs.ts';

const NOW = new Date('2030-01-01T00:10:00.000Z');
const self = { kind: 'app', pid: 100, instance: 'me', start: 'tag-me' } as const;

function policy(status: ProcessStatus, staleMs = 60_000): OwnerPolicy {
  return { self, probe: { status: () => status }, staleMs };
}

function row(patch: Partial<RunRow> = {}): RunRow {
  return {
    id: 'run-1',
    cluster_id: 'c1',
    kind: 'install',
    spec: '{}',
    state: 'running',
    outcome: null,
    started_at: '2030-01-01T00:00:00.000Z',
    finished_at: null,
    cancel_requested: 0,
    owner_kind: 'cli',
    owner_pid: 4242,
    owner_instance: 'other',
    owner_start: 'tag-other',
    heartbeat_at: '2030-01-01T00:09:50.000Z',
    ...patch,
  };
}

describe('ownerGone', () => {
  it('never treats this process’s own runs as orphans, whatever the OS says', () => {
    expect(ownerGone(row({ owner_instance: 'me' }), policy('gone'), NOW)).toBe(false);
  });

  it('treats rows written before owners existed as orphans', () => {
    expect(ownerGone(row({ owner_instance: null, owner_pid: null }), policy('alive'), NOW)).toBe(
      true,
    );
  });

  it('follows the OS when it can tell: gone → orphan, alive → not, even with an old heartbeat', () => {
    expect(ownerGone(row(), policy('gone'), NOW)).toBe(true);
    const asleep = row({ heartbeat_at: '2029-12-31T00:00:00.000Z' });
    expect(ownerGone(asleep, policy('alive'), NOW)).toBe(false);
  });

  it('falls back to the heartbeat lease when the OS cannot tell', () => {
    expect(ownerGone(row(), policy('unknown'), NOW)).toBe(false);
    const stale = row({ heartbeat_at: '2030-01-01T00:08:59.000Z' });
    expect(ownerGone(stale, policy('unknown'), NOW)).toBe(true);
    // No heartbeat yet: the start time stands in for it.
    expect(ownerGone(row({ heartbeat_at: null }), policy('unknown'), NOW)).toBe(true);
    expect(ownerGone(row({ heartbeat_at: null }), policy('unknown', 3_600_000), NOW)).toBe(false);
  });
});

describe('RunInFlightError', () => {
  it('names the run, when it started and which process runs it; maps to 409', () => {
    const error = new RunInFlightError(row(), 'Another run cannot start until it ends.');
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      'A run of this cluster is in progress: install run run-1, started 2030-01-01T00:00:00.000Z ' +
        'by the nodeless CLI (pid 4242). Another run cannot start until it ends. Wait for it to ' +
        'finish, or cancel it, then try again.',
    );
    expect(describeRun(row({ owner_kind: 'app', owner_pid: 7 }))).toContain(
      'by the Nodeless app (pid 7)',
    );
    expect(describeRun(row({ owner_kind: null, owner_pid: null }))).toContain(
      'by an earlier Nodeless process',
    );
  });
});
