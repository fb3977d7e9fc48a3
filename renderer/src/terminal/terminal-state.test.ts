import { describe, expect, it } from 'vitest';
import { closedState, describeState, nextState, type TerminalState } from './terminal-state.ts';

describe('terminal state', () => {
  it('follows opened → exit and says the status', () => {
    let s: TerminalState = { kind: 'connecting' };
    s = nextState(s, {
      type: 'opened',
      shell: 'sh',
      container: 'main',
      protocol: 'v5.channel.k8s.io',
    });
    expect(describeState(s)).toBe('sh in main');
    s = nextState(s, { type: 'stdout', data: 'x' });
    expect(s.kind).toBe('open');
    s = nextState(s, { type: 'exit', code: 3 });
    expect(describeState(s)).toBe('The shell exited with status 3.');
    expect(closedState(s)).toBe(s);
  });

  it('keeps an error in words; a socket lost before anything says so', () => {
    const failed = nextState({ kind: 'connecting' }, { type: 'error', message: 'Not allowed' });
    expect(describeState(closedState(failed))).toBe('Not allowed');
    expect(describeState(closedState({ kind: 'connecting' }))).toMatch(/could not connect/);
    const open: TerminalState = { kind: 'open', shell: 'bash', container: 'c', protocol: 'v4' };
    expect(closedState(open)).toEqual({ kind: 'closed' });
  });
});
