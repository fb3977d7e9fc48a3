import { describe, expect, it } from 'vitest';
import { kataCheck, type CheckHost } from './check.ts';

const host = (flags: string, modules: string[], createVm?: string): CheckHost => ({
  readFile: () =>
    `processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: ${flags}\n\nprocessor\t: 1\n`,
  exists: (p) => modules.some((m) => p === `/sys/module/${m}`),
  isRoot: true,
  createVm: () => createVm,
});
const all = ['kvm', 'kvm_intel', 'vhost', 'vhost_net', 'vhost_vsock'];

describe('kata-runtime check', () => {
  it('fails like upstream without vmx or vhost modules', () => {
    const r = kataCheck(host('fpu lm sse4_1 hypervisor', ['kvm']), false);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/level=error msg="CPU property not found".* name=vmx/);
    expect(r.stderr).toMatch(/msg="kernel property vhost_vsock not found"/);
    expect(r.stderr).toMatch(/msg="ERROR: System is not capable of running Kata Containers"/);
  });
  it('passes both stages on a capable host', () => {
    const r = kataCheck(host('fpu vmx lm sse4_1', all), false);
    expect(r).toMatchObject({
      code: 0,
      stdout:
        'System is capable of running Kata Containers\nSystem can currently create Kata Containers\n',
    });
  });
  it('is capable but cannot create VMs when KVM_CREATE_VM fails', () => {
    const r = kataCheck(
      host('fpu vmx lm sse4_1', all, 'open /dev/kvm: No such file or directory'),
      false,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('System is capable of running Kata Containers\n');
    expect(r.stderr).toMatch(/open \/dev\/kvm/);
  });
});
