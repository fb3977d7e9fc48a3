/**
 * `kata-runtime check` stand-in for amd64: the same checks as upstream's kata-check.go —
 * CPU vendor and flags (vmx|svm, lm, sse4_1), kernel modules (kvm, kvm_intel|kvm_amd, vhost,
 * vhost_net, vhost_vsock), then as root whether a VM can really be created (open /dev/kvm
 * and KVM_CREATE_VM, via perl's ioctl because Node has none) — and it reports the truth of
 * the host it runs on, with upstream's messages and exit codes.
 *
 * @see https://github.com/kata-containers/kata-containers/blob/main/src/runtime/cmd/kata-runtime/kata-check.go
 * @see https://github.com/kata-containers/kata-containers/blob/main/src/runtime/cmd/kata-runtime/kata-check_amd64.go
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { logLine } from '../log.ts';

export interface CheckHost {
  readFile(p: string): string;
  exists(p: string): boolean;
  isRoot: boolean;
  /** Tries KVM_CREATE_VM; returns undefined on success or the error text. */
  createVm(): string | undefined;
}

/** KVM_CREATE_VM = _IO(0xAE, 0x01); perl-base is on every Debian host. */
const PERL_CREATE_VM =
  'open(my $f, "+<", "/dev/kvm") or die "open /dev/kvm: $!\\n"; my $vm = ioctl($f, 0xAE01, 0); defined $vm or die "KVM_CREATE_VM: $!\\n"; print "ok\\n";';

export const realHost: CheckHost = {
  readFile: (p) => fs.readFileSync(p, 'utf8'),
  exists: (p) => fs.existsSync(p),
  isRoot: process.getuid?.() === 0,
  createVm: () => {
    const r = spawnSync('perl', ['-e', PERL_CREATE_VM], { encoding: 'utf8', timeout: 10_000 });
    if (r.error) return r.error.message;
    return r.status === 0 ? undefined : (r.stderr || 'KVM_CREATE_VM failed').trim();
  },
};

export interface CheckResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function kataCheck(host: CheckHost, verbose: boolean): CheckResult {
  const out: string[] = [];
  const err: string[] = [];
  const f = { arch: 'amd64', name: 'kata-runtime', pid: process.pid, source: 'runtime' };
  const info = (msg: string, fields: Record<string, string>) => {
    if (verbose) err.push(logLine('info', msg, { ...f, ...fields }));
  };
  const error = (msg: string, fields: Record<string, string> = {}) =>
    err.push(logLine('error', msg, { ...f, ...fields }));
  let cpuinfo = '';
  try {
    cpuinfo = host.readFile('/proc/cpuinfo');
  } catch {
    error('Cannot determine CPU details');
    return { code: 1, stdout: '', stderr: err.join('\n') + '\n' };
  }
  const first = cpuinfo.split('\n\n')[0] ?? '';
  const flags = /^flags\s*:\s*(.*)$/m.exec(first)?.[1] ?? '';
  const vendor = /^vendor_id\s*:\s*(.*)$/m.exec(first)?.[1]?.trim() ?? '';
  const amd = vendor === 'AuthenticAMD';
  let errors = 0;
  const attrib = amd ? 'AuthenticAMD' : 'GenuineIntel';
  if (new RegExp(`\\b${attrib}\\b`).test(first))
    info('CPU property found', {
      description: amd ? 'AMD Architecture CPU' : 'Intel Architecture CPU',
      name: attrib,
      type: 'attribute',
    });
  else {
    error('CPU property not found', {
      description: amd ? 'AMD Architecture CPU' : 'Intel Architecture CPU',
      name: attrib,
      type: 'attribute',
    });
    errors++;
  }
  const wanted: Array<[string, string]> = [
    [amd ? 'svm' : 'vmx', 'Virtualization support'],
    ['lm', '64Bit CPU'],
    ['sse4_1', 'SSE4.1'],
  ];
  for (const [flag, description] of wanted) {
    if (new RegExp(`\\b${flag}\\b`).test(flags))
      info('CPU property found', { description, name: flag, type: 'flag' });
    else {
      error('CPU property not found', { description, name: flag, type: 'flag' });
      errors++;
    }
  }
  const modules: Array<[string, string]> = [
    ['kvm', 'Kernel-based Virtual Machine'],
    [amd ? 'kvm_amd' : 'kvm_intel', amd ? 'AMD KVM' : 'Intel KVM'],
    ['vhost', 'Host kernel accelerator for virtio'],
    ['vhost_net', 'Host kernel accelerator for virtio network'],
    ['vhost_vsock', 'Host Support for Linux VM Sockets'],
  ];
  for (const [mod, description] of modules) {
    if (host.exists(`/sys/module/${mod}`))
      info('kernel property found', { description, name: mod, type: 'module' });
    else {
      error(`kernel property ${mod} not found`, { description, name: mod, type: 'module' });
      errors++;
    }
  }
  if (errors > 0) {
    err.push(logLine('error', 'ERROR: System is not capable of running Kata Containers', f));
    return { code: 1, stdout: out.join('\n'), stderr: err.join('\n') + '\n' };
  }
  out.push('System is capable of running Kata Containers');
  if (host.isRoot) {
    const vm = host.createVm();
    if (vm !== undefined) {
      error(vm, { 'check-type': 'full' });
      return { code: 1, stdout: out.join('\n') + '\n', stderr: err.join('\n') + '\n' };
    }
    info('feature available', { 'check-type': 'full', feature: 'create-vm' });
    out.push('System can currently create Kata Containers');
  }
  return {
    code: 0,
    stdout: out.join('\n') + '\n',
    stderr: err.length ? err.join('\n') + '\n' : '',
  };
}
