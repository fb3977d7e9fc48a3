/**
 * The OS side of run ownership (`run-owner.ts`): this process's identity and whether another
 * process still runs. A pid alone is not an identity (pids are reused, and a container's
 * `serve` is often pid 1 every time), so each owner records a start tag: the host name, and
 * on Linux its pid namespace and its start time in clock ticks since boot (field 22 of
 * `/proc/<pid>/stat`). A pid that runs with another start time is another process.
 *
 * @see https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html — `starttime`
 * @see https://man7.org/linux/man-pages/man2/kill.2.html — signal 0, ESRCH, EPERM
 */
import { randomUUID } from 'node:crypto';
import nodeFs from 'node:fs';
import os from 'node:os';
import type { OwnerKind } from './runs.ts';
import type { ProcessProbe, ProcessStatus, RunOwner } from './run-owner.ts';

interface StartTag {
  host: string;
  /** Linux pid namespace (`pid:[4026531836]`), null elsewhere. */
  ns: string | null;
  /** Start time in clock ticks since boot (Linux), null elsewhere. */
  start: string | null;
}

/** What the probe reads from the OS (injectable for tests). */
export interface ProbeOs {
  pid: number;
  hostname(): string;
  /** `process.kill(pid, 0)`: throws ESRCH for no such process, EPERM for another user's. */
  signal0(pid: number): void;
  /** File text, or null when it cannot be read. */
  read(file: string): string | null;
  /** Link target, or null when it cannot be read. */
  readlink(file: string): string | null;
}

export const nodeProbeOs: ProbeOs = {
  pid: process.pid,
  hostname: () => os.hostname(),
  signal0: (pid) => void process.kill(pid, 0),
  read: (file) => attempt(() => nodeFs.readFileSync(file, 'utf8')),
  readlink: (file) => attempt(() => nodeFs.readlinkSync(file)),
};

function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

/** Field 22 (`starttime`) of /proc/<pid>/stat; the command name (field 2) may hold spaces. */
export function procStartTime(stat: string | null): string | null {
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // `fields[0]` is field 3 (state), so field 22 is at index 19.
  const start = fields[19];
  return start !== undefined && /^\d+$/.test(start) ? start : null;
}

function tagOf(os: ProbeOs, pid: number): StartTag {
  return {
    host: os.hostname(),
    ns: os.readlink(`/proc/${String(pid)}/ns/pid`),
    start: procStartTime(os.read(`/proc/${String(pid)}/stat`)),
  };
}

function parseTag(text: string | null): StartTag | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<StartTag>;
    return typeof v.host === 'string'
      ? { host: v.host, ns: v.ns ?? null, start: v.start ?? null }
      : null;
  } catch {
    return null;
  }
}

/**
 * One per process, not per store: two stores (or CLI sessions) opened by one process are the
 * same owner, so neither ever takes the other's live runs for orphans.
 */
const PROCESS_INSTANCE = randomUUID();

/** This process as a run owner. */
export function processOwner(
  kind: OwnerKind,
  os: ProbeOs = nodeProbeOs,
  instance: string = PROCESS_INSTANCE,
): RunOwner {
  return {
    kind,
    pid: os.pid,
    instance,
    start: JSON.stringify(tagOf(os, os.pid)),
  };
}

export function processProbe(os: ProbeOs = nodeProbeOs): ProcessProbe {
  const me = tagOf(os, os.pid);
  return {
    status(pid, start): ProcessStatus {
      const tag = parseTag(start);
      // Another machine or pid namespace: its pids mean nothing here.
      if (!tag || tag.host !== me.host || tag.ns !== me.ns) return 'unknown';
      // Our own pid but not our instance: an earlier process that had this pid.
      if (pid === os.pid) return tag.start !== null && tag.start === me.start ? 'alive' : 'gone';
      try {
        os.signal0(pid);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ESRCH') return 'gone';
        if (code !== 'EPERM') return 'unknown';
      }
      if (tag.start === null) return 'unknown';
      const now = procStartTime(os.read(`/proc/${String(pid)}/stat`));
      if (now === null) return 'unknown';
      return now === tag.start ? 'alive' : 'gone';
    },
  };
}
