import { describe, expect, it } from 'vitest';
import type { InstallOptionsView, RunView } from '@nodeless/backend/api';
import { clusterMembers, clusterServers } from './membership.ts';
import { checkForm, formFromDefaults, optionsOf } from './options-model.ts';

const defaults: InstallOptionsView = {
  servers: ['a'],
  agents: ['b'],
  sandbox: 'gvisor',
  sandboxChoices: [],
  k3sVersion: 'v1.33.4+k3s1',
  k3sVersions: ['v1.33.4+k3s1'],
  artifacts: { kind: 'online' },
  blockers: [],
  upgrade: { supported: false, reason: 'Upgrades are not implemented yet' },
};

describe('install options', () => {
  it('starts from the defaults and turns into the API input', () => {
    const form = formFromDefaults(defaults, ['a', 'b', 'c']);
    expect(form.roles.get('c')).toBe('skip');
    expect(optionsOf({ ...form, artifacts: 'bundle', bundlePath: ' /tmp/b ' })).toEqual({
      servers: ['a'],
      agents: ['b'],
      sandbox: 'gvisor',
      k3sVersion: 'v1.33.4+k3s1',
      artifacts: { kind: 'bundle', path: '/tmp/b' },
    });
  });

  it('stops without a server, warns on an even number, wants an absolute bundle path', () => {
    const form = formFromDefaults(defaults, ['a', 'b']);
    expect(checkForm(form)).toEqual({ errors: [], warnings: [] });
    const none = checkForm({ ...form, roles: new Map([['a', 'agent']]) });
    expect(none.errors).toHaveLength(1);
    const even = checkForm({
      ...form,
      roles: new Map([
        ['a', 'server'],
        ['b', 'server'],
      ]),
    });
    expect(even.errors).toEqual([]);
    expect(even.warnings[0]).toMatch(/even number/);
    expect(checkForm({ ...form, artifacts: 'bundle', bundlePath: 'rel/path' }).errors[0]).toMatch(
      /absolute/,
    );
  });
});

const run = (
  id: string,
  kind: RunView['kind'],
  state: RunView['state'],
  hosts: string[],
): RunView => ({
  id,
  clusterId: 'c',
  kind,
  state,
  steps: hosts.map((h) => ({
    key: `prepare-os@${h}`,
    phase: 'prepare-os',
    hostId: h,
    state: 'done',
    current: 0,
    max: 0,
    description: '',
    detail: '',
  })),
  changed: [],
  failed: [],
  startedAt: id,
  finishedAt: id,
});

describe('clusterMembers', () => {
  it('replays succeeded runs oldest first', () => {
    const newestFirst = [
      run('5', 'add-hosts', 'failed', ['e']),
      run('4', 'remove-host', 'succeeded', ['b']),
      run('3', 'add-hosts', 'succeeded', ['c']),
      run('2', 'install', 'succeeded', ['a', 'b']),
      run('1', 'install', 'failed', ['z']),
    ];
    expect([...clusterMembers(newestFirst)].sort()).toEqual(['a', 'c']);
    expect(clusterMembers([run('6', 'reset', 'succeeded', ['a', 'c']), ...newestFirst]).size).toBe(
      0,
    );
  });
});

describe('clusterServers', () => {
  it('takes servers from the k3s server steps of succeeded runs, members only', () => {
    type Step = RunView['steps'][number];
    const withPhase = (r: RunView, host: string, phase: Step['phase']): RunView => {
      const base = r.steps[0];
      if (!base) throw new Error('run without steps');
      return {
        ...r,
        steps: [...r.steps, { ...base, key: `${phase}@${host}`, phase, hostId: host }],
      };
    };
    const install = withPhase(
      withPhase(run('1', 'install', 'succeeded', ['a', 'b', 'c']), 'a', 'k3s-server-init'),
      'b',
      'k3s-server-join',
    );
    const failedJoin = withPhase(run('2', 'add-hosts', 'failed', ['d']), 'd', 'k3s-server-join');
    expect([...clusterServers([failedJoin, install])].sort()).toEqual(['a', 'b']);
    const removed = run('3', 'remove-host', 'succeeded', ['b']);
    expect([...clusterServers([removed, failedJoin, install])]).toEqual(['a']);
  });
});
