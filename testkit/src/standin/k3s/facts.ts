/**
 * What a kubelet would report about its host, read from the host itself: hostname,
 * addresses, CPUs (/proc/cpuinfo), memory (/proc/meminfo), OS, kernel; the runtime
 * handlers come from the containerd config the node started with (containerd/).
 *
 * @see https://docs.k3s.io/advanced#configuring-containerd
 * @see https://kubernetes.io/docs/reference/node/node-status/
 */
import fs from 'node:fs';
import os from 'node:os';

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

/** The host's facts; `runtimeHandlers` are what its containerd's CRI serves (containerd/). */
export function gatherFacts(runtimeHandlers: readonly string[], nodeName?: string): HostFacts {
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
    runtimeHandlers: [...runtimeHandlers],
  };
}
