import { describe, expect, it } from 'vitest';
import { runscMain } from './main.ts';

function run(argv0: string, args: string[], kvm?: string) {
  let out = '';
  let err = '';
  const code = runscMain(argv0, args, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    openKvm: () => kvm,
  });
  return { code, out, err };
}

describe('runsc stand-in', () => {
  it('prints upstream-shaped versions tagged STAND-IN', () => {
    const v = run('/usr/local/bin/runsc', ['--version']);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^runsc version release-\d{8}\.\d+-STAND-IN\nspec: \S+\n$/);
    const shim = run('/usr/local/bin/containerd-shim-runsc-v1', ['-v']);
    expect(shim.code).toBe(0);
    expect(shim.out).toMatch(/Version: release-\d{8}\.\d+-STAND-IN/);
  });

  it('refuses to start sandboxes, and reports an unusable /dev/kvm for the KVM platform', () => {
    const plain = run('runsc', ['do', 'true']);
    expect(plain.code).toBe(1);
    expect(plain.err).toMatch(/STAND-IN/);
    const kvm = run('runsc', ['--platform=kvm', 'do', 'true'], 'ENOENT: no such file');
    expect(kvm.code).not.toBe(0);
    expect(kvm.err).toMatch(/opening \/dev\/kvm: ENOENT/);
    expect(run('containerd-shim-runsc-v1', ['start']).code).toBe(1);
    expect(run('runsc', ['frobnicate']).code).toBe(2);
  });
});
