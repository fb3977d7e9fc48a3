/**
 * Who owns a run, and when an owner counts as gone. The app and the `nodeless` CLI share one
 * data directory; each process stamps the runs it starts with its identity and renews a
 * heartbeat. Another process judges a `running` row by its owner:
 *
 * - this process's own rows are never orphans (its in-memory run is the truth);
 * - rows without an owner were written before owners existed (migration 004): orphans;
 * - otherwise the OS is asked about the owner's pid: `gone` (no such process, or the pid now
 *   belongs to a process that started later) → orphan; `alive` (same process, verified by
 *   its start tag) → not an orphan, however old its heartbeat (a suspended laptop, a busy
 *   event loop); `unknown` (another host or pid namespace, or an OS without start times) →
 *   orphan only once its heartbeat is older than the lease.
 *
 * Pure logic: the OS probe and the clock are injected (see `process-probe.ts`).
 */
import { ConflictError } from '../onboarding/errors.ts';
import type { OwnerColumns, OwnerKind, RunRow } from './runs.ts';

export interface RunOwner {
  readonly kind: OwnerKind;
  readonly pid: number;
  /** Random per process (see {@link OwnerColumns.owner_instance}). */
  readonly instance: string;
  /** The process's start tag from the probe, or null when the OS does not tell. */
  readonly start: string | null;
}

export type ProcessStatus = 'alive' | 'gone' | 'unknown';

/** Asks the OS about another process. */
export interface ProcessProbe {
  /** Whether the process `pid` that wrote start tag `start` still runs. */
  status(pid: number, start: string | null): ProcessStatus;
}

export interface OwnerPolicy {
  readonly self: RunOwner;
  readonly probe: ProcessProbe;
  /** A heartbeat older than this makes an owner the OS cannot vouch for count as gone. */
  readonly staleMs: number;
}

/** Heartbeat period of a run's owner, and the default lease (well above it). */
export const HEARTBEAT_MS = 15_000;
export const STALE_MS = 120_000;

export function ownerColumns(owner: RunOwner, at: string): OwnerColumns {
  return {
    owner_kind: owner.kind,
    owner_pid: owner.pid,
    owner_instance: owner.instance,
    owner_start: owner.start,
    heartbeat_at: at,
  };
}

/** True when the process that runs `row` is gone (see the module comment). */
export function ownerGone(row: RunRow, policy: OwnerPolicy, now: Date): boolean {
  if (row.owner_instance === null || row.owner_pid === null) return true;
  if (row.owner_instance === policy.self.instance) return false;
  switch (policy.probe.status(row.owner_pid, row.owner_start)) {
    case 'gone':
      return true;
    case 'alive':
      return false;
    case 'unknown': {
      const beat = Date.parse(row.heartbeat_at ?? row.started_at);
      return Number.isNaN(beat) || now.getTime() - beat > policy.staleMs;
    }
  }
}

/** "the nodeless CLI (pid 4242)" */
export function ownerLabel(row: Pick<RunRow, 'owner_kind' | 'owner_pid'>): string {
  if (row.owner_kind === null || row.owner_pid === null) return 'an earlier Nodeless process';
  const who = row.owner_kind === 'cli' ? 'the nodeless CLI' : 'the Nodeless app';
  return `${who} (pid ${String(row.owner_pid)})`;
}

/** "install run 1f2e…, started 2030-01-02T03:04:05.000Z by the nodeless CLI (pid 4242)" */
export function describeRun(row: RunRow): string {
  return `${row.kind} run ${row.id}, started ${row.started_at} by ${ownerLabel(row)}`;
}

/** A cluster has a run in flight, so the request would race with it (HTTP 409). */
export class RunInFlightError extends ConflictError {
  constructor(
    readonly run: RunRow,
    consequence: string,
  ) {
    super(
      `A run of this cluster is in progress: ${describeRun(run)}. ${consequence} ` +
        'Wait for it to finish, or cancel it, then try again.',
    );
    this.name = 'RunInFlightError';
  }
}
