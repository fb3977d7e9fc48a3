/**
 * Per-host preflight: facts → verdicts (block / warn / ok, each with reason and remedy) and
 * the host's sandbox readiness. Pure.
 *
 * @see https://docs.k3s.io/installation/requirements — memory, ports, cgroups
 * @see https://github.com/kata-containers/kata-containers/blob/main/docs/Limitations.md
 * @see DESIGN.md §4 phase 4 and §8 (Kata host needs vmx/svm, /dev/kvm, vhost_vsock, vhost_net)
 */
import {
  block,
  GIB,
  MIB,
  ok,
  warn,
  worstLevel,
  type HostRole,
  type SandboxChoice,
  type SandboxReadiness,
  type Verdict,
  type VerdictLevel,
} from '@nodeless/common';
import { KUBE_PORTS, type HostFacts } from '../facts/types.ts';

/** Bytes as a short human string (GiB with one decimal, or MiB). */
function formatBytes(bytes: number): string {
  const gib = bytes / GIB;
  return gib >= 1 ? `${gib.toFixed(1)} GiB` : `${Math.round(bytes / MIB)} MiB`;
}

/** Thresholds of the host rules, in bytes. */
export interface HostLimits {
  readonly diskBlockBytes: number;
  readonly diskWarnBytes: number;
  readonly serverMemoryBlockBytes: number;
  readonly serverMemoryWarnBytes: number;
  readonly agentMemoryBlockBytes: number;
  readonly agentMemoryWarnBytes: number;
}

/** Default thresholds of the host rules (exported so the UI can explain them). */
export const HOST_LIMITS: HostLimits = {
  diskBlockBytes: 10 * GIB,
  diskWarnBytes: 20 * GIB,
  serverMemoryBlockBytes: 2 * GIB,
  serverMemoryWarnBytes: 4 * GIB,
  agentMemoryBlockBytes: 1 * GIB,
  agentMemoryWarnBytes: 2 * GIB,
};

/** Architectures k3s and the sandboxes ship for. */
export const SUPPORTED_ARCHS: readonly string[] = ['x86_64', 'aarch64'];

const KNOWN_OS = [
  'debian',
  'ubuntu',
  'rhel',
  'centos',
  'rocky',
  'almalinux',
  'fedora',
  'suse',
  'opensuse',
  'sles',
  'opensuse-leap',
];

/** Result of host preflight. */
export interface HostPreflight {
  readonly level: VerdictLevel;
  readonly sandbox: SandboxReadiness;
  readonly verdicts: readonly Verdict[];
}

/** microVM needs KVM usable plus the vhost drivers; gVisor (systrap) needs only a supported arch. */
export function sandboxReadiness(facts: HostFacts): SandboxReadiness {
  if (!SUPPORTED_ARCHS.includes(facts.arch)) return 'unsupported';
  const moduleOk = (s: string) => s === 'loaded' || s === 'loadable';
  if (facts.kvm.status === 'usable' && moduleOk(facts.vhostVsock) && moduleOk(facts.vhostNet))
    return 'microvm-ready';
  return 'gvisor-only';
}

function sandboxVerdict(
  facts: HostFacts,
  readiness: SandboxReadiness,
  choice: SandboxChoice,
): Verdict {
  if (readiness === 'unsupported') {
    return block(
      'sandbox',
      `no sandbox runtime for ${facts.arch}`,
      'Use an x86_64 or aarch64 machine.',
    );
  }
  if (readiness === 'microvm-ready') return ok('sandbox', `microVM ready (${facts.kvm.detail})`);
  if (choice === 'gvisor') return ok('sandbox', 'gVisor will be used (no microVM needed)');
  let why: string;
  let remedy: string;
  if (facts.kvm.status !== 'usable') {
    const virt = facts.cpu.virtFlag === undefined && facts.arch === 'x86_64';
    why =
      facts.kvm.status === 'unknown'
        ? `KVM ${facts.kvm.detail}`
        : `no usable /dev/kvm (${facts.kvm.detail})`;
    remedy = virt
      ? facts.cpu.hypervisor
        ? 'This is a VM without nested virtualisation: enable it on the hypervisor, or choose gVisor as sandbox.'
        : 'Enable virtualisation (VT-x/AMD-V) in the firmware, or choose gVisor as sandbox.'
      : 'Load the kvm module and let root open /dev/kvm, or choose gVisor as sandbox.';
  } else {
    const missing = [facts.vhostVsock, facts.vhostNet].some((s) => s === 'absent')
      ? 'missing'
      : 'unknown';
    why = `vhost_vsock/vhost_net ${missing} (vsock: ${facts.vhostVsock}, net: ${facts.vhostNet})`;
    remedy =
      'Install the kernel modules package with vhost_vsock and vhost_net, or choose gVisor as sandbox.';
  }
  return choice === 'microvm'
    ? block('sandbox', why, remedy)
    : warn('sandbox', `${why}; this host will run gVisor`, remedy);
}

function portVerdicts(facts: HostFacts, role: HostRole): Verdict[] {
  const relevant = KUBE_PORTS.filter(
    (p) => role === 'server' || (p.port !== 6443 && p.port !== 2379 && p.port !== 2380),
  );
  const out: Verdict[] = [];
  for (const need of relevant) {
    const used = facts.portsInUse.find((p) => p.port === need.port && p.proto === need.proto);
    if (!used) continue;
    const who = used.process
      ? `${used.process}${used.pid ? ` (pid ${used.pid})` : ''}`
      : 'an unknown process';
    const isK3s = facts.k3s.installed && (!used.process || /k3s/.test(used.process));
    const text = `port ${need.port}/${need.proto} (${need.use}) is in use by ${who}`;
    out.push(
      isK3s
        ? warn(
            `port-${need.port}`,
            text,
            'It belongs to the existing k3s: it will be adopted or reset.',
          )
        : block(
            `port-${need.port}`,
            text,
            `Stop ${who} or move it to another port (see \`ss -lntup\`).`,
          ),
    );
  }
  if (out.length === 0)
    out.push(ok('ports', `ports ${relevant.map((p) => p.port).join(', ')} are free`));
  return out;
}

/** Evaluates every host rule for one host. */
export function preflightHost(
  facts: HostFacts,
  role: HostRole,
  choice: SandboxChoice = 'auto',
  limits: HostLimits = HOST_LIMITS,
): HostPreflight {
  const v: Verdict[] = [];
  v.push(
    SUPPORTED_ARCHS.includes(facts.arch)
      ? ok('arch', facts.arch)
      : block(
          'arch',
          `unsupported architecture ${facts.arch}`,
          'Use an x86_64 or aarch64 machine.',
        ),
  );
  const osKnown = [facts.os.id, ...facts.os.idLike].some((id) => KNOWN_OS.includes(id));
  v.push(
    osKnown
      ? ok('os', facts.os.prettyName)
      : warn(
          'os',
          `${facts.os.prettyName} is not a tested distribution`,
          'Debian, Ubuntu, RHEL-family and SUSE are tested.',
        ),
  );
  v.push(
    facts.systemd
      ? ok('systemd', 'systemd is PID 1')
      : block(
          'systemd',
          'the host does not run systemd',
          'k3s is installed as a systemd service: use a systemd-based OS.',
        ),
  );
  if (facts.cgroup.version === 2) v.push(ok('cgroup', 'cgroup v2'));
  else
    v.push(
      warn(
        'cgroup',
        facts.cgroup.version === 1
          ? 'cgroup v1 (legacy hierarchy)'
          : `cgroup version unknown (${facts.cgroup.fsType || 'no /sys/fs/cgroup'})`,
        'Boot with `systemd.unified_cgroup_hierarchy=1` to get cgroup v2 (sandbox resource limits are exact there).',
      ),
    );
  const mem = facts.memory.totalBytes;
  const [mBlock, mWarn] =
    role === 'server'
      ? [limits.serverMemoryBlockBytes, limits.serverMemoryWarnBytes]
      : [limits.agentMemoryBlockBytes, limits.agentMemoryWarnBytes];
  // MemTotal excludes kernel-reserved memory, so a "2 GB" machine reports ~1.9 GiB: allow 5%.
  if (mem < mBlock * 0.95)
    v.push(
      block(
        'memory',
        `${formatBytes(mem)} RAM is below the ${formatBytes(mBlock)} a ${role} needs`,
        `Give the machine more memory or use it as ${role === 'server' ? 'an agent' : 'nothing'}.`,
      ),
    );
  else if (mem < mWarn * 0.95)
    v.push(
      warn(
        'memory',
        `${formatBytes(mem)} RAM leaves little room for pods`,
        `${formatBytes(mWarn)} or more is recommended for a ${role}.`,
      ),
    );
  else v.push(ok('memory', `${formatBytes(mem)} RAM`));
  if (facts.cpu.count < 1)
    v.push(warn('cpu', 'CPU count unknown', 'Check that `nproc` works on the host.'));
  else if (role === 'server' && facts.cpu.count < 2)
    v.push(
      warn(
        'cpu',
        `${facts.cpu.count} CPU for a server`,
        '2 or more CPUs are recommended for a server.',
      ),
    );
  else v.push(ok('cpu', `${facts.cpu.count} CPUs (${facts.cpu.model})`));
  const free = facts.disk.freeBytes;
  const diskText = `${formatBytes(free)} free under /var/lib (${facts.disk.path})`;
  if (free < limits.diskBlockBytes)
    v.push(
      block(
        'disk',
        diskText,
        `Free at least ${formatBytes(limits.diskBlockBytes)} on the filesystem of /var/lib (images and sandboxes live there).`,
      ),
    );
  else if (free < limits.diskWarnBytes)
    v.push(
      warn(
        'disk',
        diskText,
        `${formatBytes(limits.diskWarnBytes)} or more is recommended for images.`,
      ),
    );
  else v.push(ok('disk', diskText));
  v.push(
    facts.swap.active
      ? warn(
          'swap',
          `swap is on (${facts.swap.devices.join(', ') || formatBytes(facts.swap.totalBytes)})`,
          'Turn swap off (`swapoff -a` and remove it from /etc/fstab) so pod memory limits are honest.',
        )
      : ok('swap', 'swap is off'),
  );
  const badName = facts.hostname === '' || /^localhost(\.|$)/.test(facts.hostname);
  v.push(
    badName
      ? block(
          'hostname',
          `hostname "${facts.hostname}" cannot name a node`,
          'Set a unique hostname with `hostnamectl set-hostname <name>`.',
        )
      : ok('hostname', facts.hostname),
  );
  if (facts.machineId === '')
    v.push(
      warn('machine-id', 'no /etc/machine-id', 'Run `systemd-machine-id-setup` to create one.'),
    );
  v.push(...portVerdicts(facts, role));
  if (facts.k3s.installed)
    v.push(
      warn(
        'k3s',
        `k3s ${facts.k3s.version ?? ''} is already installed${facts.k3s.role ? ` as ${facts.k3s.role}` : ''}`.replace(
          /\s+/g,
          ' ',
        ),
        'It will be adopted if compatible, or reset (its cluster data is then lost).',
      ),
    );
  const readiness = sandboxReadiness(facts);
  v.push(sandboxVerdict(facts, readiness, choice));
  if (facts.kata.installed)
    v.push(ok('kata', `Kata ${facts.kata.version ?? ''} already present`.trim()));
  for (const p of facts.problems)
    v.push(warn('facts', p, 'Check the host; this fact could not be read.'));
  return { level: worstLevel(v), sandbox: readiness, verdicts: v };
}
