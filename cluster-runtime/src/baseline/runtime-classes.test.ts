import { describe, expect, it } from 'vitest';
import { baselineRuntimeClasses, runtimeClassFor } from './runtime-classes.ts';

describe('sandbox RuntimeClasses', () => {
  it('declares the Kata overheads and handler names', () => {
    expect(runtimeClassFor('kata-clh').overhead?.podFixed).toEqual({
      cpu: '250m',
      memory: '130Mi',
    });
    expect(runtimeClassFor('kata-qemu').overhead?.podFixed).toEqual({
      cpu: '250m',
      memory: '160Mi',
    });
    expect(runtimeClassFor('kata-fc').handler).toBe('kata-fc');
    expect(runtimeClassFor('kata-fc').overhead?.podFixed).toEqual({
      cpu: '250m',
      memory: '130Mi',
    });
  });
  it('maps gVisor to the runsc handler with no fixed overhead, on gVisor nodes only', () => {
    const rc = runtimeClassFor('gvisor');
    expect(rc.handler).toBe('runsc');
    expect(rc.overhead).toBeUndefined();
    expect(rc.scheduling?.nodeSelector).toEqual({ 'nodeless.dev/sandbox': 'gvisor' });
  });
  it('deduplicates the installed set', () => {
    expect(
      baselineRuntimeClasses(['kata-clh', 'kata-qemu', 'kata-clh']).map((r) => r.metadata?.name),
    ).toEqual(['kata-clh', 'kata-qemu']);
  });
});
