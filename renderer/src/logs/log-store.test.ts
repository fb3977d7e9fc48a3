import { describe, expect, it } from 'vitest';
import { compileSearch } from './log-search.ts';
import { LogStore } from './log-store.ts';

/** A scheduler the test runs by hand: "one frame" is one call of `frame()`. */
function manualFrames() {
  let pending: (() => void)[] = [];
  return {
    schedule: (fn: () => void) => void pending.push(fn),
    frame() {
      const run = pending;
      pending = [];
      for (const fn of run) fn();
    },
    get queued() {
      return pending.length;
    },
  };
}

const l = (pod: string, text: string, container = 'app') => ({ pod, container, text });

describe('LogStore', () => {
  it('folds every message of a frame into one state update', () => {
    const f = manualFrames();
    const s = new LogStore(1000, f.schedule);
    let updates = 0;
    s.store.subscribe(() => updates++);
    for (let i = 0; i < 50; i++) s.push({ type: 'lines', lines: [l('p', `line ${i}`)] });
    expect(f.queued).toBe(1);
    expect(s.store.getState().length).toBe(0);
    f.frame();
    expect(updates).toBe(1);
    expect(s.store.getState()).toMatchObject({ length: 50, start: 0, version: 1 });
    expect(s.buffer.at(49)?.text).toBe('line 49');
  });

  it('keeps the bound, says where the kept lines start', () => {
    const f = manualFrames();
    const s = new LogStore(10, f.schedule);
    s.push({ type: 'lines', lines: Array.from({ length: 25 }, (_, i) => l('p', `${i}`)) });
    f.frame();
    expect(s.store.getState()).toMatchObject({ length: 10, start: 15 });
  });

  it('shows waiting until the container’s lines come, then clears it', () => {
    const f = manualFrames();
    const s = new LogStore(100, f.schedule);
    s.push({ type: 'waiting', pod: 'p', container: 'app', reason: 'ContainerCreating' });
    f.frame();
    expect(s.store.getState().waiting).toEqual([
      { pod: 'p', container: 'app', reason: 'ContainerCreating' },
    ]);
    s.push({ type: 'waiting', pod: 'p', container: 'app', reason: 'PodInitializing' });
    f.frame();
    expect(s.store.getState().waiting.map((w) => w.reason)).toEqual(['PodInitializing']);
    s.push({ type: 'lines', lines: [l('p', 'started')] });
    f.frame();
    expect(s.store.getState().waiting).toEqual([]);
  });

  it('tracks the pods of a workload, marks the gone ones', () => {
    const f = manualFrames();
    const s = new LogStore(100, f.schedule);
    s.push({ type: 'pod-added', pod: 'a' });
    s.push({ type: 'pod-added', pod: 'b' });
    s.push({ type: 'waiting', pod: 'a', container: 'app', reason: 'ContainerCreating' });
    s.push({ type: 'pod-gone', pod: 'a' });
    f.frame();
    expect(s.store.getState().pods).toEqual([
      { pod: 'a', gone: true },
      { pod: 'b', gone: false },
    ]);
    expect(s.store.getState().waiting).toEqual([]);
  });

  it('says the end and errors in words, the transport’s failure too', () => {
    const f = manualFrames();
    const s = new LogStore(100, f.schedule);
    s.push({ type: 'ended', reason: 'the container exited' });
    s.fail('The connection to the app was lost.');
    f.frame();
    expect(s.store.getState()).toMatchObject({
      ended: 'the container exited',
      error: 'The connection to the app was lost.',
    });
  });

  it('counts search matches now and as lines arrive', () => {
    const f = manualFrames();
    const s = new LogStore(100, f.schedule);
    s.push({ type: 'lines', lines: [l('p', 'GET /'), l('p', 'error: x')] });
    f.frame();
    s.setSearch(compileSearch('error'));
    expect(s.store.getState().matches).toBe(1);
    s.push({ type: 'lines', lines: [l('p', 'error: y'), l('p', 'ok')] });
    f.frame();
    expect(s.store.getState().matches).toBe(2);
    s.setSearch(compileSearch('('));
    expect(s.store.getState().matches).toBe(0);
    expect(s.searchIndex).toBeUndefined();
  });

  it('does not update the state for a frame that changed nothing', () => {
    const f = manualFrames();
    const s = new LogStore(100, f.schedule);
    s.push({ type: 'lines', lines: [] });
    let updates = 0;
    s.store.subscribe(() => updates++);
    f.frame();
    expect(updates).toBe(0);
  });

  it('gives pods colours in the order they appear, fixed once given', () => {
    const s = new LogStore(100, manualFrames().schedule);
    const pods = Array.from({ length: 9 }, (_, i) => `web-${i}`);
    expect(pods.map(s.colourOf)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 0]);
    expect(s.colourOf('web-3')).toBe(3);
  });
});
