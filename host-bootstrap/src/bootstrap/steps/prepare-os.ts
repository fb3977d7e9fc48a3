/**
 * OS preparation (DESIGN.md §4 phase 5): the kernel modules and sysctls Kubernetes networking
 * and Kata need, loaded now and persisted across reboots.
 *
 * - modules: `/etc/modules-load.d/nodeless.conf`, read by systemd-modules-load at boot;
 * - sysctls: `/etc/sysctl.d/90-nodeless.conf`, applied with `sysctl --system`.
 *
 * Inside containers (and on kernels with the feature built in) `modprobe` may fail while the
 * feature works; so the truth is the effective state: `/proc/sys/...` values and
 * `/sys/module/<m>` (present for loaded and built-in modules). What is not in effect is
 * reported as a warning in the step's detail and log, never hidden — and does not fail the
 * step, exactly as k3s itself treats it: its agent sets these sysctls again at start and only
 * logs a warning when it cannot (pkg/agent/syssetup).
 *
 * @see https://github.com/k3s-io/k3s/blob/master/pkg/agent/syssetup/setup.go
 * @see https://kubernetes.io/docs/setup/production-environment/container-runtimes/#prerequisite-ipv4-forwarding-optional
 * @see https://docs.k3s.io/installation/requirements
 * @see https://www.freedesktop.org/software/systemd/man/latest/modules-load.d.html
 * @see https://www.freedesktop.org/software/systemd/man/latest/sysctl.d.html
 * @see https://github.com/kata-containers/kata-containers/blob/main/src/runtime/cmd/kata-runtime/kata-check_amd64.go — vhost_vsock, vhost_net
 */
import { fileMatches, probe, root, writeRootFile, type HostHandle } from '../host.ts';
import type { CheckResult, Step } from '@nodeless/common';

export const MODULES_FILE = '/etc/modules-load.d/nodeless.conf';
export const SYSCTL_FILE = '/etc/sysctl.d/90-nodeless.conf';

/** Modules every node needs; Kata adds the vhost ones. */
export function modulesFor(kata: boolean): string[] {
  return ['overlay', 'br_netfilter', ...(kata ? ['vhost_vsock', 'vhost_net'] : [])];
}

export const SYSCTLS: ReadonlyArray<readonly [string, string]> = [
  ['net.bridge.bridge-nf-call-iptables', '1'],
  ['net.bridge.bridge-nf-call-ip6tables', '1'],
  ['net.ipv4.ip_forward', '1'],
  ['net.ipv6.conf.all.forwarding', '1'],
];

export function modulesFile(modules: readonly string[]): string {
  return `# Written by Nodeless: kernel modules for k3s networking and the sandbox runtime.\n${modules.join('\n')}\n`;
}

export function sysctlFile(): string {
  return `# Written by Nodeless: Kubernetes networking.\n${SYSCTLS.map(([k, v]) => `${k} = ${v}`).join('\n')}\n`;
}

const procPath = (key: string) => `/proc/sys/${key.replaceAll('.', '/')}`;

interface Effective {
  modules: Map<string, boolean>;
  sysctls: Map<string, string>;
}

/** Reads the effective state: /sys/module presence and /proc/sys values. */
async function effective(host: HostHandle, modules: readonly string[]): Promise<Effective> {
  const script = [
    ...modules.map((m) => `[ -d /sys/module/${m} ] && echo "mod ${m} 1" || echo "mod ${m} 0"`),
    ...SYSCTLS.map(([k]) => `echo "sys ${k} $(cat ${procPath(k)} 2>/dev/null || echo -)"`),
  ].join('\n');
  const r = await probe(host, script);
  const out: Effective = { modules: new Map(), sysctls: new Map() };
  for (const line of r.stdout.split('\n')) {
    const [kind, key, value] = line.trim().split(' ');
    if (kind === 'mod' && key) out.modules.set(key, value === '1');
    if (kind === 'sys' && key && value) out.sysctls.set(key, value);
  }
  return out;
}

function describe(e: Effective): string {
  const missingMods = [...e.modules].filter(([, on]) => !on).map(([m]) => m);
  const wrong = SYSCTLS.filter(([k, v]) => e.sysctls.get(k) !== v).map(
    ([k]) => `${k}=${e.sysctls.get(k) ?? '?'}`,
  );
  const parts = [];
  if (missingMods.length) parts.push(`modules not present: ${missingMods.join(', ')}`);
  if (wrong.length) parts.push(`sysctls not in effect: ${wrong.join(', ')}`);
  return parts.join('; ');
}

/** The prepare-os step of one host. */
export function prepareOsStep(host: HostHandle, options: { kata: boolean }): Step {
  const modules = modulesFor(options.kata);
  const wantModules = modulesFile(modules);
  const wantSysctl = sysctlFile();
  const filesInPlace = async () =>
    (await fileMatches(host, MODULES_FILE, wantModules, '644')) &&
    (await fileMatches(host, SYSCTL_FILE, wantSysctl, '644'));

  const verdict = async (): Promise<CheckResult> => {
    const e = await effective(host, modules);
    const files = await filesInPlace();
    const gaps = describe(e);
    return {
      satisfied: files,
      detail: files
        ? `Modules and sysctls persisted${gaps ? ` (warning: ${gaps}; the kernel or container does not allow it, see log)` : ''}`
        : `Will persist modules (${modules.join(', ')}) and sysctls${gaps ? `; now ${gaps}` : ''}`,
    };
  };

  return {
    key: `prepare-os@${host.name}`,
    phase: 'prepare-os',
    host: host.name,
    title: `Prepare the OS on ${host.name}`,
    check: verdict,
    apply: async (ctx) => {
      await writeRootFile(host, MODULES_FILE, wantModules, '644');
      await writeRootFile(host, SYSCTL_FILE, wantSysctl, '644');
      // modprobe may be refused (containers, built-in features): report, then judge the effect.
      const out = await root(
        host,
        'Loading kernel modules and applying sysctls',
        [
          ...modules.map((m) => `modprobe ${m} 2>&1 || echo "modprobe ${m}: not loaded"`),
          'sysctl --system >/dev/null 2>&1 || echo "sysctl --system reported errors"',
        ].join('\n'),
      );
      for (const line of out.split('\n').filter(Boolean)) ctx.log(line);
    },
    verify: async (ctx) => {
      const v = await verdict();
      ctx.log(v.detail);
      return v;
    },
  };
}
