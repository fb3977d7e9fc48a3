import { describe, expect, it } from 'vitest';
import { SimShell } from './shell.ts';

const facts = {
  hostname: 'web-1',
  kernel: '6.12.13-nodeless-sim-guest',
  env: [
    ['PATH', '/bin'],
    ['HOSTNAME', 'web-1'],
  ] as const,
  tty: true,
};

describe('the simulated sh', () => {
  it('answers about its pod', () => {
    const sh = new SimShell(facts);
    expect(sh.run('hostname').stdout).toBe('web-1\n');
    expect(sh.run('cat /etc/hostname').stdout).toBe('web-1\n');
    expect(sh.run('uname -r').stdout).toBe('6.12.13-nodeless-sim-guest\n');
    expect(sh.run('env').stdout).toBe('PATH=/bin\nHOSTNAME=web-1\nTERM=xterm\n');
    expect(sh.run('echo "a  b" $HOSTNAME').stdout).toBe('a  b web-1\n');
  });

  it('says not found with 127, and $? tells it', () => {
    const sh = new SimShell(facts);
    expect(sh.run('x')).toEqual({ stdout: '', stderr: 'sh: x: not found\n' });
    expect(sh.status).toBe(127);
    expect(sh.run('echo $?').stdout).toBe('127\n');
  });

  it('reports the last resize as stty size (rows cols), and needs a tty for it', () => {
    const sh = new SimShell(facts);
    expect(sh.run('stty size').stderr).toBe('stty: standard input: Not a tty\n');
    sh.resize(132, 43);
    expect(sh.run('stty size').stdout).toBe('43 132\n');
    expect(new SimShell({ ...facts, tty: false }).run('stty size').stderr).toContain('Not a tty');
  });

  it('exits with N, stopping the line there', () => {
    const sh = new SimShell(facts);
    expect(sh.run('echo a; exit 3; echo b')).toEqual({ stdout: 'a\n', stderr: '', exit: 3 });
    expect(sh.run('false; exit').exit).toBe(1);
  });
});
