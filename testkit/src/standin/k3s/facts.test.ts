import { describe, expect, it } from 'vitest';
import { gatherFacts } from './facts.ts';

describe('host facts', () => {
  it('reads the host and carries the handlers its containerd serves', () => {
    const f = gatherFacts(['kata-clh', 'runc'], 'named');
    expect(f.hostname).toBe('named');
    expect(f.cpus).toBeGreaterThan(0);
    expect(f.memoryKi).toBeGreaterThan(0);
    expect(f.runtimeHandlers).toEqual(['kata-clh', 'runc']);
  });
});
