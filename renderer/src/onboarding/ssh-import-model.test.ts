import { describe, expect, it } from 'vitest';
import type { SshConfigHostView } from '@nodeless/backend/api';
import {
  importAddress,
  initialChoices,
  toAddHostInput,
  type ImportChoice,
} from './ssh-import-model.ts';

const web: SshConfigHostView = {
  alias: 'web',
  hostName: '10.1.2.3',
  user: 'admin',
  port: 2222,
  identityFile: '~/.ssh/web_ed25519',
};
const inner: SshConfigHostView = { alias: 'inner', hostName: '192.168.5.9', proxyJump: 'bastion' };

describe('initialChoices', () => {
  it('selects nothing, makes the first a server only when the cluster has none', () => {
    expect(initialChoices([web, inner], false).map((c) => [c.selected, c.role])).toEqual([
      [false, 'server'],
      [false, 'agent'],
    ]);
    expect(initialChoices([web], true)[0]?.role).toBe('agent');
  });

  it('prefills the user from the config, root when it names none', () => {
    expect(initialChoices([web, inner], true).map((c) => c.user)).toEqual(['admin', 'root']);
  });
});

describe('toAddHostInput', () => {
  it('uses HostName, Port and the IdentityFile key; non-root users get passwordless sudo', () => {
    const [choice] = initialChoices([web], false);
    expect(toAddHostInput('k1', web, { ...(choice as ImportChoice), selected: true })).toEqual({
      clusterId: 'k1',
      address: '10.1.2.3',
      port: 2222,
      user: 'admin',
      role: 'server',
      auth: { kind: 'key', keyPath: '~/.ssh/web_ed25519' },
      sudo: { kind: 'passwordless' },
    });
  });

  it('falls back to the agent and port 22; root needs no sudo', () => {
    const input = toAddHostInput('k1', inner, {
      alias: 'inner',
      selected: true,
      role: 'agent',
      user: ' root ',
    });
    expect(input.auth).toEqual({ kind: 'agent' });
    expect(input.port).toBe(22);
    expect(input.user).toBe('root');
    expect(input.sudo).toEqual({ kind: 'none' });
  });

  it('keeps the alias when a jump host is configured, so the engine finds ProxyJump', () => {
    expect(importAddress(inner)).toBe('inner');
    expect(importAddress(web)).toBe('10.1.2.3');
  });
});
