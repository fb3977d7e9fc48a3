import { describe, expect, it } from 'vitest';
import type { ExecResult, SshConnection } from '../connect/connection.ts';
import type { PrivilegedRunner } from '../privilege/run.ts';
import { ClusterAccess, defaultWait } from './cluster-access.ts';
import type { HostHandle } from './host.ts';

const TOKEN = 'K10abcdef0123456789::server:0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** A first server whose only file is the join token. */
function firstServer(): HostHandle {
  const result = (stdout: string, code = 0): ExecResult => ({
    stdout,
    stderr: '',
    code,
    signal: undefined,
  });
  const runner: PrivilegedRunner = {
    mode: 'root',
    pty: false,
    run: (script) =>
      Promise.resolve(
        script.includes('/var/lib/rancher/k3s/server/token') ? result(`${TOKEN}\n`) : result('', 3),
      ),
  };
  const connection: SshConnection = {
    label: 's1',
    user: 'admin',
    exec: () => Promise.resolve(result('')),
    close: () => undefined,
    closed: false,
  };
  return { name: 's1', address: '10.0.0.1', runner, connection };
}

describe('ClusterAccess join token', () => {
  it('hands the token (whole and its bare secret) to onSecret the moment it is read, once', async () => {
    const seen: string[] = [];
    const access = new ClusterAccess(firstServer(), '10.0.0.1', defaultWait, {
      onSecret: (s) => seen.push(s),
    });
    expect(seen).toEqual([]);
    expect(await access.token()).toBe(TOKEN);
    expect(seen).toEqual([TOKEN, '0f1e2d3c4b5a69788796a5b4c3d2e1f0']);
    await access.token();
    expect(seen).toHaveLength(2);
    expect(access.scrub(`join with ${TOKEN} or 0f1e2d3c4b5a69788796a5b4c3d2e1f0`)).toBe(
      'join with *** or ***',
    );
  });
});
