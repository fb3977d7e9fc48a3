/**
 * What Nodeless knows about a host after the facts phase. Every field is honest about what
 * could not be determined (`unknown` / `undefined`) rather than guessing.
 *
 * @see https://github.com/k0sproject/k0sctl/blob/main/phase/gather_facts.go
 */

/** Kernel module availability. */
export type ModuleState = 'loaded' | 'loadable' | 'absent' | 'unknown';

/** A listening socket on one of the ports Kubernetes needs. */
export interface PortInUse {
  readonly port: number;
  readonly proto: 'tcp' | 'udp';
  readonly address: string;
  /** Process name when `ss -p` could tell (needs root). */
  readonly process: string | undefined;
  readonly pid: number | undefined;
}

/** Facts about one host. */
export interface HostFacts {
  readonly os: {
    readonly id: string;
    readonly idLike: readonly string[];
    readonly versionId: string;
    readonly prettyName: string;
  };
  /** `uname -m`: x86_64, aarch64, … */
  readonly arch: string;
  /** `uname -r`. */
  readonly kernel: string;
  readonly cpu: {
    readonly count: number;
    readonly model: string;
    /** Hardware virtualisation flag in /proc/cpuinfo (x86 only). */
    readonly virtFlag: 'vmx' | 'svm' | undefined;
    /** Running under a hypervisor (x86 `hypervisor` flag). */
    readonly hypervisor: boolean;
  };
  readonly kvm: {
    /** `usable`: opened and answered KVM_GET_API_VERSION. `unknown`: no tool to test it. */
    readonly status: 'usable' | 'unusable' | 'absent' | 'unknown';
    readonly apiVersion: number | undefined;
    readonly detail: string;
  };
  readonly vhostVsock: ModuleState;
  readonly vhostNet: ModuleState;
  readonly memory: { readonly totalBytes: number; readonly availableBytes: number };
  readonly swap: {
    readonly active: boolean;
    readonly totalBytes: number;
    readonly devices: readonly string[];
  };
  /** Free space of the filesystem holding /var/lib. */
  readonly disk: { readonly path: string; readonly totalBytes: number; readonly freeBytes: number };
  readonly cgroup: { readonly version: 1 | 2 | undefined; readonly fsType: string };
  /** PID 1 is systemd. */
  readonly systemd: boolean;
  readonly hostname: string;
  readonly machineId: string;
  /** Listening sockets among the Kubernetes ports. */
  readonly portsInUse: readonly PortInUse[];
  readonly k3s: {
    readonly installed: boolean;
    readonly version: string | undefined;
    readonly role: 'server' | 'agent' | undefined;
    readonly active: boolean;
  };
  readonly kata: { readonly installed: boolean; readonly version: string | undefined };
  /** Facts that could not be parsed, in plain words. */
  readonly problems: readonly string[];
}

/** Clock comparison with the desktop. */
export interface ClockSkew {
  /** Host clock minus desktop clock, ms (positive: host ahead). */
  readonly skewMs: number;
  /** Half the round trip: the measurement's uncertainty. */
  readonly uncertaintyMs: number;
}

/** Ports Kubernetes (k3s) needs on a node. */
export const KUBE_PORTS: readonly {
  readonly port: number;
  readonly proto: 'tcp' | 'udp';
  readonly use: string;
}[] = [
  { port: 6443, proto: 'tcp', use: 'Kubernetes API server' },
  { port: 10250, proto: 'tcp', use: 'kubelet' },
  { port: 2379, proto: 'tcp', use: 'etcd client' },
  { port: 2380, proto: 'tcp', use: 'etcd peer' },
  { port: 8472, proto: 'udp', use: 'flannel VXLAN' },
];
