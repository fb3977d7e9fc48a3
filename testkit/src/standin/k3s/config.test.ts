import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, nodeArgs, parseFlags } from './config.ts';

describe('k3s config', () => {
  it('parses value, boolean and repeated flags', () => {
    const c = parseFlags([
      '--cluster-init',
      '--token',
      's3cret',
      '--tls-san=a.example',
      '--tls-san',
      'b.example',
      '-s',
      'https://x:6443',
    ]);
    expect(c).toEqual({
      'cluster-init': true,
      token: 's3cret',
      'tls-san': ['a.example', 'b.example'],
      server: 'https://x:6443',
    });
  });

  it('merges config.yaml, config.yaml.d (lexical, key+ appends), env, then flags', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k3scfg-'));
    const file = path.join(dir, 'config.yaml');
    fs.writeFileSync(file, 'token: from-file\ntls-san:\n  - one\nnode-label:\n  - a=1\n');
    fs.mkdirSync(`${file}.d`);
    fs.writeFileSync(path.join(`${file}.d`, '20-b.yaml'), 'node-label+:\n  - c=3\n');
    fs.writeFileSync(
      path.join(`${file}.d`, '10-a.yaml'),
      'tls-san:\n  - two\nnode-label+:\n  - b=2\n',
    );
    const c = loadConfig(['--config', file, '--node-name', 'flag-wins'], {
      K3S_NODE_NAME: 'env',
      K3S_URL: 'https://s:6443',
    });
    expect(c['tls-san']).toEqual(['two']);
    expect(c['node-label']).toEqual(['a=1', 'b=2', 'c=3']);
    expect(c['token']).toBe('from-file');
    expect(c['server']).toBe('https://s:6443');
    expect(c['node-name']).toBe('flag-wins');
    fs.rmSync(dir, { recursive: true });
  });

  it('masks secrets in k3s.io/node-args', () => {
    const args = JSON.parse(
      nodeArgs('server', { token: 'K10abc::server:pw', 'cluster-init': true }),
    ) as string[];
    expect(args).toEqual(['server', '--token', '********', '--cluster-init', 'true']);
  });
});
