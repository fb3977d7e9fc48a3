/**
 * Pure parser of the facts script output (see ./script.ts). Each section parser accepts the
 * formats of Debian/Ubuntu, RHEL-family and SUSE tools and records what it could not read in
 * `problems` instead of throwing.
 *
 * @see https://www.freedesktop.org/software/systemd/man/latest/os-release.html
 * @see https://man7.org/linux/man-pages/man5/proc_meminfo.5.html
 * @see https://man7.org/linux/man-pages/man8/ss.8.html
 * @see https://www.kernel.org/doc/Documentation/networking/proc_net_tcp.txt
 */
import { KUBE_PORTS, type HostFacts, type ModuleState, type PortInUse } from './types.ts';

const MARKER = /^@@nodeless:([a-z0-9-]+)@@$/;

/** Splits script output into named sections (lines between markers). */
export function splitSections(output: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const raw of output.replace(/\r\n/g, '\n').split('\n')) {
    const m = MARKER.exec(raw.trim());
    if (m?.[1]) {
      current = [];
      sections.set(m[1], current);
    } else if (current && raw.trim() !== '') current.push(raw);
  }
  return sections;
}

/** Parses os-release `KEY=value` lines (values optionally quoted, with `\` escapes). */
export function parseOsRelease(lines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m?.[1]) continue;
    let value = m[2] ?? '';
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\(["\\`$])/g, '$1');
    }
    out[m[1]] = value;
  }
  return out;
}

/** Parses `/proc/meminfo`-style `Key:   123 kB` lines into bytes. */
export function parseMeminfo(lines: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of lines) {
    const m = /^(\w+):\s+(\d+)(?:\s+kB)?$/.exec(line.trim());
    if (m?.[1] && m[2]) out[m[1]] = Number(m[2]) * (line.includes('kB') ? 1024 : 1);
  }
  return out;
}

/** Parses `df -P -B1` (or `-Pk`) output: the unit comes from the header (`1-blocks`, `1024-blocks`). */
export function parseDf(
  lines: readonly string[],
): { totalBytes: number; freeBytes: number; mount: string } | undefined {
  const header = lines[0];
  const data = lines[1];
  if (!header || !data) return undefined;
  const unit = Number(/(\d+)-blocks/.exec(header)?.[1] ?? 1024);
  const f = data.trim().split(/\s+/);
  // Filesystem Size Used Available Capacity Mounted-on (POSIX -P guarantees one line each).
  const total = Number(f[1]);
  const avail = Number(f[3]);
  if (!Number.isFinite(total) || !Number.isFinite(avail)) return undefined;
  return { totalBytes: total * unit, freeBytes: avail * unit, mount: f.slice(5).join(' ') };
}

/** Parses `/proc/swaps`: header then one line per active swap area. */
export function parseSwaps(lines: readonly string[]): { devices: string[]; totalBytes: number } {
  const devices: string[] = [];
  let totalBytes = 0;
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 3 && f[0]) {
      devices.push(f[0]);
      totalBytes += Number(f[2]) * 1024;
    }
  }
  return { devices, totalBytes };
}

const WANTED = new Map(KUBE_PORTS.map((p) => [`${p.proto}/${p.port}`, p]));

function portOf(local: string): { address: string; port: number } | undefined {
  const at = local.lastIndexOf(':');
  if (at < 0) return undefined;
  const port = Number(local.slice(at + 1));
  return Number.isInteger(port) ? { address: local.slice(0, at), port } : undefined;
}

/**
 * Parses `ss -H -lntup` lines: `Netid State Recv-Q Send-Q Local Peer [users:(("name",pid=N,fd=M))]`.
 * Only the Kubernetes ports are kept.
 */
export function parseSs(lines: readonly string[]): PortInUse[] {
  const out: PortInUse[] = [];
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    const proto = f[0] === 'tcp' ? 'tcp' : f[0] === 'udp' ? 'udp' : undefined;
    const local = proto && f[4] ? portOf(f[4]) : undefined;
    if (!proto || !local || !WANTED.has(`${proto}/${local.port}`)) continue;
    const users = /users:\(\("([^"]+)",pid=(\d+)/.exec(line);
    out.push({
      port: local.port,
      proto,
      address: local.address,
      process: users?.[1],
      pid: users?.[2] ? Number(users[2]) : undefined,
    });
  }
  return dedupePorts(out);
}

/**
 * Parses `/proc/net/{tcp,tcp6,udp,udp6}` (each introduced by a `# tcp` line): listening TCP
 * sockets have state 0A, bound UDP sockets 07; addresses are hex, ports big-endian hex.
 */
export function parseProcNet(lines: readonly string[]): PortInUse[] {
  const out: PortInUse[] = [];
  let proto: 'tcp' | 'udp' = 'tcp';
  for (const line of lines) {
    const t = line.trim();
    if (t.startsWith('#')) {
      proto = t.includes('udp') ? 'udp' : 'tcp';
      continue;
    }
    const f = t.split(/\s+/);
    if (!/^\d+:$/.test(f[0] ?? '')) continue;
    const [addrHex, portHex] = (f[1] ?? '').split(':');
    const state = f[3];
    if (!addrHex || !portHex) continue;
    if ((proto === 'tcp' && state !== '0A') || (proto === 'udp' && state !== '07')) continue;
    const port = parseInt(portHex, 16);
    if (!WANTED.has(`${proto}/${port}`)) continue;
    const address = /^0+$/.test(addrHex)
      ? addrHex.length > 8
        ? '[::]'
        : '0.0.0.0'
      : hexAddress(addrHex);
    out.push({ port, proto, address, process: undefined, pid: undefined });
  }
  return dedupePorts(out);
}

function hexAddress(hex: string): string {
  if (hex.length !== 8) return `[${hex.toLowerCase()}]`;
  // IPv4 in /proc/net is little-endian per 32-bit word.
  const bytes = hex.match(/../g) ?? [];
  return bytes
    .reverse()
    .map((b) => parseInt(b, 16))
    .join('.');
}

function dedupePorts(ports: PortInUse[]): PortInUse[] {
  const seen = new Map<string, PortInUse>();
  for (const p of ports) {
    const key = `${p.proto}/${p.port}`;
    const prev = seen.get(key);
    if (!prev || (!prev.process && p.process)) seen.set(key, p);
  }
  return [...seen.values()].sort((a, b) => a.port - b.port);
}

function parseModuleStates(lines: readonly string[]): {
  vsock: ModuleState;
  net: ModuleState;
  devices: Set<string>;
} {
  let vsock: ModuleState = 'unknown';
  let net: ModuleState = 'unknown';
  const devices = new Set<string>();
  for (const line of lines) {
    const [a, b] = line.trim().split(/\s+/);
    const state = (['loaded', 'loadable', 'absent', 'unknown'] as const).find((s) => s === b);
    if (a === 'vhost_vsock' && state) vsock = state;
    else if (a === 'vhost_net' && state) net = state;
    else if (a === 'dev' && b) devices.add(b);
  }
  // A device node means the driver is there even if /sys/module is hidden (containers).
  if (devices.has('/dev/vhost-vsock') && vsock !== 'loaded') vsock = 'loaded';
  if (devices.has('/dev/vhost-net') && net !== 'loaded') net = 'loaded';
  return { vsock, net, devices };
}

function parseKvm(lines: readonly string[]): HostFacts['kvm'] {
  const text = lines.join('\n').trim();
  const api = /^api (\d+)$/m.exec(text);
  if (api?.[1])
    return { status: 'usable', apiVersion: Number(api[1]), detail: `KVM API version ${api[1]}` };
  if (text === 'absent')
    return { status: 'absent', apiVersion: undefined, detail: '/dev/kvm does not exist' };
  if (text === 'untestable' || text === '') {
    return {
      status: 'unknown',
      apiVersion: undefined,
      detail: 'unknown (cannot test: neither python3 nor perl on the host)',
    };
  }
  const err = /^error (.*)$/m.exec(text)?.[1] ?? text.split('\n').pop() ?? text;
  return { status: 'unusable', apiVersion: undefined, detail: `/dev/kvm cannot be used: ${err}` };
}

function parseK3s(lines: readonly string[]): HostFacts['k3s'] {
  let version: string | undefined;
  let role: 'server' | 'agent' | undefined;
  let active = false;
  for (const line of lines) {
    const v = /^k3s version (\S+)/.exec(line.trim());
    if (v?.[1]) version = v[1];
    const u = /^unit (k3s|k3s-agent) (\S*)/.exec(line.trim());
    if (u?.[1]) {
      const unitRole = u[1] === 'k3s' ? 'server' : 'agent';
      // Prefer the active unit when both exist.
      if (!role || u[2] === 'active') role = unitRole;
      if (u[2] === 'active') active = true;
    }
  }
  return { installed: version !== undefined || role !== undefined, version, role, active };
}

/** Parses the whole facts script output. */
export function parseFacts(output: string): HostFacts {
  const s = splitSections(output);
  const problems: string[] = [];
  const sec = (name: string): string[] => s.get(name) ?? [];
  if (!s.has('end')) problems.push('the facts script did not run to the end');

  const os = parseOsRelease(sec('os-release'));
  if (!os.ID) problems.push('no /etc/os-release');
  const [arch = 'unknown', kernel = 'unknown'] = sec('uname').map((l) => l.trim());
  const count = Number(sec('nproc')[0]?.trim() ?? NaN);
  if (!Number.isInteger(count)) problems.push('CPU count unknown');

  const cpuLines = sec('cpuinfo');
  const model =
    cpuLines
      .find((l) => /^(model name|Hardware|cpu model|CPU part)/.test(l))
      ?.split(':')
      .slice(1)
      .join(':')
      .trim() ?? 'unknown';
  const flags = new Set(
    cpuLines
      .find((l) => /^(flags|Features)/.test(l))
      ?.split(':')[1]
      ?.trim()
      .split(/\s+/) ?? [],
  );
  const virtFlag = flags.has('vmx') ? 'vmx' : flags.has('svm') ? 'svm' : undefined;

  const mem = parseMeminfo(sec('meminfo'));
  if (mem.MemTotal === undefined) problems.push('memory size unknown');
  const swaps = parseSwaps(sec('swaps'));
  const df = parseDf(sec('df'));
  if (!df) problems.push('free disk space under /var/lib unknown');
  const fsType = sec('cgroup')[0]?.trim() ?? '';
  const cgroupVersion = fsType === 'cgroup2fs' ? 2 : fsType === 'tmpfs' ? 1 : undefined;
  const vhost = parseModuleStates(sec('vhost'));
  const kataLine = sec('kata')[0]?.trim();
  const ports = s.has('ss') ? parseSs(sec('ss')) : parseProcNet(sec('proc-net'));

  return {
    os: {
      id: os.ID ?? 'unknown',
      idLike: (os.ID_LIKE ?? '').split(/\s+/).filter(Boolean),
      versionId: os.VERSION_ID ?? '',
      prettyName: os.PRETTY_NAME ?? os.NAME ?? 'unknown',
    },
    arch,
    kernel,
    cpu: {
      count: Number.isInteger(count) ? count : 0,
      model,
      virtFlag,
      hypervisor: flags.has('hypervisor'),
    },
    kvm: parseKvm(sec('kvm')),
    vhostVsock: vhost.vsock,
    vhostNet: vhost.net,
    memory: { totalBytes: mem.MemTotal ?? 0, availableBytes: mem.MemAvailable ?? mem.MemFree ?? 0 },
    swap: {
      active: swaps.devices.length > 0 || (mem.SwapTotal ?? 0) > 0,
      totalBytes: swaps.totalBytes || (mem.SwapTotal ?? 0),
      devices: swaps.devices,
    },
    disk: {
      path: df?.mount || '/var/lib',
      totalBytes: df?.totalBytes ?? 0,
      freeBytes: df?.freeBytes ?? 0,
    },
    cgroup: { version: cgroupVersion, fsType },
    systemd: sec('init')[0]?.trim() === 'systemd',
    hostname: sec('hostname')[0]?.trim() ?? '',
    machineId: sec('machine-id')[0]?.trim() ?? '',
    portsInUse: ports,
    k3s: parseK3s(sec('k3s')),
    kata: {
      installed: !!kataLine,
      version: kataLine ? (/(\d+\.\d+\.\d+\S*)/.exec(kataLine)?.[1] ?? kataLine) : undefined,
    },
    problems,
  };
}
