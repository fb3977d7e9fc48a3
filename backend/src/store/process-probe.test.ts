import { describe, expect, it } from 'vitest';
import { procStartTime, processOwner, processProbe, type ProbeOs } from './process-probe.ts';

/** /proc/<pid>/stat with `starttime` (field 22) = `start`; the name holds spaces and ')'. */
const stat = (pid: number, start: string) =>
  `${pid} (node (x) y) S 1 ${Array.from({ length: 17 }, (_, i) => i).join(' ')} ${start} 9 9`;

function fakeOs(procs: Record<number, { start: string; ns?: string }>, pid = 10): ProbeOs {
  return {
    pid,
    hostname: () => 'box',
    signal0: (p) => {
      if (!procs[p]) throw Object.assign(new Error('no such process'), { code: 'ESRCH' });
    },
    read: (file) => {
      const p = Number(/^\/proc\/(\d+)\/stat$/.exec(file)?.[1]);
      const proc = procs[p];
      return proc ? stat(p, proc.start) : null;
    },
    readlink: (file) => {
      const p = Number(/^\/proc\/(\d+)\/ns\/pid$/.exec(file)?.[1]);
      return procs[p] ? (procs[p].ns ?? 'pid:[1]') : null;
    },
  };
}

describe('procStartTime', () => {
  it('reads field 22 even when the command name holds spaces and parentheses', () => {
    expect(procStartTime(stat(5, '123456'))).toBe('123456');
    expect(procStartTime('garbage')).toBeNull();
    expect(procStartTime(null)).toBeNull();
  });
});

describe('processProbe', () => {
  const owner = (procs: Record<number, { start: string; ns?: string }>, pid: number) =>
    processOwner('cli', fakeOs(procs, pid), 'inst').start;

  it('alive while the pid runs with the start time it had; gone once it exits or is reused', () => {
    const tag = owner({ 20: { start: '500' } }, 20);
    expect(processProbe(fakeOs({ 10: { start: '1' }, 20: { start: '500' } })).status(20, tag)).toBe(
      'alive',
    );
    expect(processProbe(fakeOs({ 10: { start: '1' } })).status(20, tag)).toBe('gone');
    // Same pid, later start: another process that got the pid.
    expect(processProbe(fakeOs({ 10: { start: '1' }, 20: { start: '900' } })).status(20, tag)).toBe(
      'gone',
    );
  });

  it('an earlier process with this process’s own pid is gone (a container’s pid 1 restarts)', () => {
    const earlier = owner({ 1: { start: '5' } }, 1);
    expect(processProbe(fakeOs({ 1: { start: '77' } }, 1)).status(1, earlier)).toBe('gone');
  });

  it('unknown for another host or pid namespace, or without a start tag', () => {
    const probe = processProbe(fakeOs({ 10: { start: '1' }, 20: { start: '500' } }));
    const otherNs = owner({ 20: { start: '500', ns: 'pid:[2]' } }, 20);
    expect(probe.status(20, otherNs)).toBe('unknown');
    expect(
      probe.status(20, JSON.stringify({ host: 'elsewhere', ns: 'pid:[1]', start: '500' })),
    ).toBe('unknown');
    expect(probe.status(20, JSON.stringify({ host: 'box', ns: 'pid:[1]', start: null }))).toBe(
      'unknown',
    );
    expect(probe.status(20, null)).toBe('unknown');
  });

  it('tags the real process with its host, pid namespace and start time on Linux', () => {
    const me = processOwner('app');
    expect(me.pid).toBe(process.pid);
    expect(processOwner('cli').instance).toBe(me.instance);
    if (process.platform === 'linux') {
      expect(JSON.parse(me.start ?? '{}')).toMatchObject({ start: expect.stringMatching(/^\d+$/) });
      expect(processProbe().status(process.pid, me.start)).toBe('alive');
    }
  });
});
