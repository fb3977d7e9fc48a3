import { describe, expect, it } from 'vitest';
import type { InstallOptionsView } from '@nodeless/backend/api';
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
