/**
 * What a kubelet would report about its host, read from the host itself: hostname,
 * addresses, CPUs (/proc/cpuinfo), memory (/proc/meminfo), OS, kernel, and the containerd
 * runtime handlers configured through k3s's containerd template / drop-ins.
 *
 * @see https://docs.k3s.io/advanced#configuring-containerd
 * @see https://kubernetes.io/docs/reference/node/node-status/
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface HostFacts {
  readonly hostname: string;
  readonly addresses: string[];
  readonly cpus: number;
  readonly memoryKi: number;
  readonly osImage: string;
  readonly kernelVersion: string;
  readonly machineId: string;
  readonly runtimeHandlers: string[];
}

const read = (p: string): string => {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return '';
  }
};

/** Non-loopback IPv4 addresses of the host (the node's InternalIPs). */
export function hostAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address);
  }
  return out;
}

/**
 * Runtime handler names from containerd config under the agent's containerd dir: both the
 * CRI v1 (`io.containerd.grpc.v1.cri`) and v3 (`io.containerd.cri.v1.runtime`) table forms,
 * in `config.toml.tmpl`, `config-v3.toml.tmpl` and `config*.toml.d/*.toml`. `runc` is always
 * there (k3s configures it).
 */
export function runtimeHandlers(containerdDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 2) walk(p, depth + 1);
      else if (e.isFile() && /\.toml(\.tmpl)?$/.test(e.name)) files.push(p);
    }
  };
  walk(containerdDir, 0);
  const names = new Set<string>(['runc']);
  // The handler is the TOML key right after `runtimes`: bare (`[A-Za-z0-9_-]+`) or quoted;
  // a sub-table (`runtimes.kata-clh.options`) names the same handler, as containerd reads it.
  const re =
    /\[\s*plugins\s*\.\s*["']io\.containerd\.(?:grpc\.v1\.cri|cri\.v1\.runtime)["']\s*\.\s*containerd\s*\.\s*runtimes\s*\.\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*[.\]]/g;
  for (const f of files)
    for (const m of read(f).matchAll(re)) {
      const name = m[1] ?? m[2] ?? m[3];
      if (name) names.add(name);
    }
  return [...names].sort();
}

export function gatherFacts(containerdDir: string, nodeName?: string): HostFacts {
  const cpuinfo = read('/proc/cpuinfo');
  const cpus = (cpuinfo.match(/^processor\s*:/gm) ?? []).length || os.cpus().length;
  const memKi = Number(
    /^MemTotal:\s+(\d+)\s+kB/m.exec(read('/proc/meminfo'))?.[1] ?? Math.floor(os.totalmem() / 1024),
  );
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(read('/etc/os-release'))?.[1] ?? 'Linux';
  return {
    hostname: nodeName ?? os.hostname(),
    addresses: hostAddresses(),
    cpus,
    memoryKi: memKi,
    osImage: pretty,
    kernelVersion: os.release(),
    machineId: read('/etc/machine-id').trim(),
    runtimeHandlers: runtimeHandlers(containerdDir),
  };
}
