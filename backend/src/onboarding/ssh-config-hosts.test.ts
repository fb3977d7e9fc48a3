import { describe, expect, it } from 'vitest';
import { sshConfigHosts } from './ssh-config-hosts.ts';

describe('sshConfigHosts', () => {
  it('lists concrete aliases with computed values, skipping wildcards and negations', () => {
    const text = [
      'Host web db',
      '  HostName %h.lab.example',
      '  Port 2222',
      'Host bastion',
      '  HostName 203.0.113.9',
      '  User jump',
      '  IdentityFile ~/.ssh/jump_ed25519',
      'Host *.lab !secret db2',
      '  ProxyJump bastion',
      'Host db2',
      '  HostName 10.0.0.12',
      'Host web',
      '  User web-user',
      'Host *',
      '  User admin',
      '  IdentityFile none',
    ].join('\n');
    expect(sshConfigHosts(text)).toEqual([
      // First obtained value wins: web's own User section comes before `Host *`.
      { alias: 'web', hostName: 'web.lab.example', user: 'web-user', port: 2222 },
      { alias: 'db', hostName: 'db.lab.example', user: 'admin', port: 2222 },
      {
        alias: 'bastion',
        hostName: '203.0.113.9',
        user: 'jump',
        identityFile: '~/.ssh/jump_ed25519',
      },
      { alias: 'db2', hostName: '10.0.0.12', user: 'admin', proxyJump: 'bastion' },
    ]);
  });

  it('returns nothing for an empty or wildcard-only config', () => {
    expect(sshConfigHosts('')).toEqual([]);
    expect(sshConfigHosts('Host *\n  User x\n')).toEqual([]);
  });
});
