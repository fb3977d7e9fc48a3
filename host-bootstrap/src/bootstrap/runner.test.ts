import { describe, expect, it } from 'vitest';
import { BootstrapError } from './errors.ts';
import { MemoryJournal } from './memory-journal.ts';
import { previewPlan, runPlan } from './runner.ts';
import { Redactor, type BootstrapEvent, type Phase, type Step } from '@nodeless/common';
import type { Plan } from './types.ts';

/** A fake machine: a set of facts that steps converge. */
class World {
  readonly state = new Set<string>();
  readonly applied: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
}

interface FakeOptions {
  host?: string | null;
  phase?: Phase;
  fail?: string;
  remedy?: string;
  gate?: Promise<void>;
  onApply?: () => void;
  verifyFails?: boolean;
}

function fake(world: World, key: string, o: FakeOptions = {}): Step {
  const host = o.host === undefined ? 'h1' : o.host;
  return {
    key,
    phase: o.phase ?? 'prepare-os',
    host,
    title: `fake ${key}`,
    check: () =>
      Promise.resolve({
        satisfied: world.state.has(key),
        detail: world.state.has(key) ? `${key} in place` : `${key} will be set`,
      }),
    apply: async (ctx) => {
      world.inFlight++;
      world.maxInFlight = Math.max(world.maxInFlight, world.inFlight);
      try {
        o.onApply?.();
        ctx.progress(1, 2, 'half way');
        ctx.log(`applying ${key} with secret hunter2`);
        if (o.gate) await o.gate;
        else await new Promise((r) => setTimeout(r, 5));
        if (o.fail) throw new BootstrapError(o.fail, o.remedy ? { remedy: o.remedy } : {});
        world.applied.push(key);
        if (!o.verifyFails) world.state.add(key);
      } finally {
        world.inFlight--;
      }
    },
    verify: () => Promise.resolve({ satisfied: world.state.has(key), detail: `${key} verified` }),
  };
}

function collect(): { events: BootstrapEvent[]; onEvent: (e: BootstrapEvent) => void } {
  const events: BootstrapEvent[] = [];
  return { events, onEvent: (e) => events.push(e) };
}

describe('runPlan', () => {
  it('runs waves in order, check → apply → verify, and a re-run changes nothing', async () => {
    const w = new World();
    const plan: Plan = {
      cluster: 'c',
      waves: [
        [fake(w, 'a@h1'), fake(w, 'a@h2', { host: 'h2' })],
        [fake(w, 'b@h1', { phase: 'k3s-server-init' })],
        [fake(w, 'c', { host: null, phase: 'cluster-baseline' })],
      ],
    };
    const journal = new MemoryJournal();
    const { events, onEvent } = collect();
    const first = await runPlan(plan, { runId: 'r1', journal, concurrency: 4, onEvent });
    expect(first.state).toBe('succeeded');
    expect(first.changed.sort()).toEqual(['a@h1', 'a@h2', 'b@h1', 'c']);
    expect(w.applied.indexOf('b@h1')).toBeGreaterThan(w.applied.indexOf('a@h1'));
    expect(w.applied.indexOf('c')).toBe(3);
    const states = events.filter((e) => e.step === 'b@h1').map((e) => e.state);
    expect(states).toEqual(['pending', 'checking', 'applying', 'applying', 'verifying', 'done']);
    const progress = events.find((e) => e.step === 'b@h1' && e.current === 1 && e.max === 2);
    expect(progress?.description).toBe('half way');
    expect(journal.entries('r1').every((e) => e.state === 'done')).toBe(true);

    const again = await runPlan(plan, { runId: 'r2', journal, concurrency: 4 });
    expect(again.state).toBe('succeeded');
    expect(again.changed).toEqual([]);
    expect(journal.entries('r2').map((e) => e.state)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(w.applied).toHaveLength(4);
  });

  it('bounds the steps in flight by the concurrency limit', async () => {
    const w = new World();
    const wave = Array.from({ length: 7 }, (_, i) => fake(w, `s${i}`, { host: `h${i}` }));
    const outcome = await runPlan(
      { cluster: 'c', waves: [wave] },
      { runId: 'r', journal: new MemoryJournal(), concurrency: 3 },
    );
    expect(outcome.state).toBe('succeeded');
    expect(w.maxInFlight).toBe(3);
  });

  it('a failure stops its host, lets the wave finish, and ends the run failed', async () => {
    const w = new World();
    const plan: Plan = {
      cluster: 'c',
      waves: [
        [
          fake(w, 'x@h1', { fail: 'port 6443 is in use', remedy: 'free the port' }),
          fake(w, 'y@h1'),
          fake(w, 'x@h2', { host: 'h2' }),
        ],
        [fake(w, 'z@h2', { host: 'h2' })],
      ],
    };
    const journal = new MemoryJournal();
    const outcome = await runPlan(plan, { runId: 'r', journal, concurrency: 1 });
    expect(outcome.state).toBe('failed');
    expect(outcome.failed).toEqual([
      { step: 'x@h1', host: 'h1', message: 'port 6443 is in use', remedy: 'free the port' },
    ]);
    const byStep = new Map(journal.entries('r').map((e) => [e.step, e]));
    expect(byStep.get('y@h1')?.state).toBe('cancelled');
    expect(byStep.get('x@h2')?.state).toBe('done');
    expect(byStep.get('z@h2')?.state).toBe('cancelled');
    expect(byStep.get('z@h2')?.detail).toMatch(/earlier step failed/);
  });

  it('fails a step whose verify says the change did not take', async () => {
    const w = new World();
    const outcome = await runPlan(
      { cluster: 'c', waves: [[fake(w, 'v', { verifyFails: true })]] },
      { runId: 'r', journal: new MemoryJournal(), concurrency: 1 },
    );
    expect(outcome.state).toBe('failed');
    expect(outcome.failed[0]?.message).toMatch(/did not take/);
  });

  it('cancel stops after the steps in flight; a resume finishes the rest', async () => {
    const w = new World();
    const controller = new AbortController();
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const plan: Plan = {
      cluster: 'c',
      waves: [
        [fake(w, 'a', { gate, onApply: () => controller.abort() }), fake(w, 'b', { host: 'h2' })],
        [fake(w, 'c')],
      ],
    };
    const journal = new MemoryJournal();
    const running = runPlan(plan, {
      runId: 'r1',
      journal,
      concurrency: 1,
      signal: controller.signal,
    });
    open();
    const outcome = await running;
    expect(outcome.state).toBe('cancelled');
    expect(outcome.changed).toEqual(['a']);
    const byStep = new Map(journal.entries('r1').map((e) => [e.step, e.state]));
    expect(byStep.get('b')).toBe('cancelled');
    expect(byStep.get('c')).toBe('cancelled');

    const resumed = await runPlan(plan, { runId: 'r1', journal, concurrency: 1 });
    expect(resumed.state).toBe('succeeded');
    expect(resumed.changed).toEqual(['b', 'c']);
    expect(new Map(journal.entries('r1').map((e) => [e.step, e.state])).get('a')).toBe('unchanged');
  });

  it('redacts secrets in logs and failure messages', async () => {
    const w = new World();
    const journal = new MemoryJournal();
    const outcome = await runPlan(
      { cluster: 'c', waves: [[fake(w, 's', { fail: 'token hunter2 rejected' })]] },
      { runId: 'r', journal, concurrency: 1, redactor: new Redactor(['hunter2']).fn },
    );
    expect(outcome.failed[0]?.message).toBe('token *** rejected');
    expect(journal.logs('r').join('\n')).not.toContain('hunter2');
    expect(journal.logs('r', 's')).toContain('applying s with secret ***');
  });
});

describe('previewPlan', () => {
  it('runs only checks and reports what would change', async () => {
    const w = new World();
    w.state.add('a');
    const throwing: Step = {
      ...fake(w, 'b'),
      check: () => Promise.reject(new Error('no token yet')),
    };
    const items = await previewPlan({ cluster: 'c', waves: [[fake(w, 'a')], [throwing]] });
    expect(items.map((i) => [i.key, i.willChange])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(items[1]?.detail).toMatch(/cannot check yet: no token yet/);
    expect(w.applied).toEqual([]);
  });
});
