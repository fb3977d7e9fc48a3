import { describe, expect, it } from 'vitest';
import type { ExecOptions, ExecResult, SshConnection } from '../connect/connection.ts';
import { establishPrivilege } from './run.ts';

type Responder = (command: string, options: ExecOptions) => Partial<ExecResult>;

/** A scripted connection that records every command and its options. */
function fakeConn(user: string, respond: Responder) {
  const calls: { command: string; options: ExecOptions }[] = [];
  const conn: SshConnection = {
    label: 'h',
    user,
    closed: false,
    close: () => undefined,
    exec: async (command, options = {}) => {
      calls.push({ command, options });
      return { stdout: '', stderr: '', code: 0, signal: undefined, ...respond(command, options) };
    },
  };
  return { conn, calls };
}

const okMarker = (command: string) => /__nodeless_ok_(\w+)__/.exec(command)?.[0] ?? '';

describe('establishPrivilege', () => {
  it('root runs directly', async () => {
    const { conn, calls } = fakeConn('root', () => ({ stdout: '0\n' }));
    const r = await establishPrivilege(conn);
    expect(r.mode).toBe('root');
    await r.run("echo 'x y'");
    expect(calls.at(-1)?.command).toBe(`sh -c 'echo '\\''x y'\\'''`);
  });

  it('passwordless sudo uses sudo -n and strips the marker', async () => {
    const { conn } = fakeConn('admin', (cmd) => {
      if (cmd === 'id -u') return { stdout: '1000\n' };
      if (cmd.includes('sudo -n -- sh')) return { stdout: `${okMarker(cmd)}\nhello\n` };
      return {};
    });
    const r = await establishPrivilege(conn);
    expect(r.mode).toBe('sudo-nopasswd');
    expect((await r.run('echo hello')).stdout).toBe('hello\n');
  });

  it('sends the sudo password on stdin only and reports a wrong one as a sudo error', async () => {
    const secret = 'p@ss word';
    let accept = true;
    const { conn, calls } = fakeConn('ops', (cmd, opts) => {
      if (cmd === 'id -u') return { stdout: '1001\n' };
      if (cmd.includes('sudo -n -- true'))
        return { code: 1, stderr: 'sudo: a password is required\n' };
      if (cmd.includes('sudo -S')) {
        return accept && opts.stdin === `${secret}\n`
          ? { stdout: `${okMarker(cmd)}\n` }
          : {
              code: 1,
              stderr:
                'Sorry, try again.\nsudo: no password was provided\nsudo: 1 incorrect password attempt\n',
            };
      }
      return {};
    });
    await expect(establishPrivilege(conn)).rejects.toMatchObject({
      kind: 'sudo',
      message: expect.stringMatching(/needs a password/),
    });
    const r = await establishPrivilege(conn, { sudoPassword: secret });
    expect(r.mode).toBe('sudo-password');
    for (const c of calls) expect(c.command).not.toContain(secret);
    accept = false;
    await expect(establishPrivilege(conn, { sudoPassword: 'nope' })).rejects.toMatchObject({
      kind: 'sudo',
      message: expect.stringMatching(/rejected the password/),
    });
  });

  it('falls back to a pty on requiretty hosts and answers the prompt through the tty', async () => {
    const secret = 'tty-secret';
    const { conn, calls } = fakeConn('ops', (cmd, opts) => {
      if (cmd === 'id -u') return { stdout: '1001\n' };
      if (cmd.includes('sudo -n -- true')) {
        return opts.pty
          ? { code: 1, stderr: 'sudo: a password is required\n' }
          : { code: 1, stderr: 'sudo: sorry, you must have a tty to run sudo\n' };
      }
      const prompt = /-p '?(\[nodeless-sudo-\w+\])/.exec(cmd)?.[1];
      if (prompt && opts.pty) {
        let typed = '';
        opts.onStdout?.(
          prompt,
          (d) => (typed += d),
          () => undefined,
        );
        return typed === `${secret}\n`
          ? { stdout: `${prompt}\r\n${okMarker(cmd)}\r\nout\r\n` }
          : { code: 1 };
      }
      return { code: 1, stderr: 'unexpected' };
    });
    const r = await establishPrivilege(conn, { sudoPassword: secret });
    expect(r).toMatchObject({ mode: 'sudo-password', pty: true });
    expect((await r.run('echo out')).stdout).toBe('out\n');
    for (const c of calls) expect(c.command).not.toContain(secret);
  });

  it('names users who may not sudo', async () => {
    const { conn } = fakeConn('bob', (cmd) =>
      cmd === 'id -u'
        ? { stdout: '1002\n' }
        : { code: 1, stderr: 'bob is not in the sudoers file.  This incident will be reported.\n' },
    );
    await expect(establishPrivilege(conn)).rejects.toMatchObject({
      kind: 'sudo',
      message: expect.stringMatching(/"bob" may not use sudo/),
    });
  });
});
