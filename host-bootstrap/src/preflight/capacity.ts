/**
 * The capacity map: what each host can give to pods after the k3s reserve, and how many pods
 * of each spec size the cluster holds (pods cannot span hosts, so fits are summed per host).
 * Pure; the size table and the runtime overheads come in as a {@link CapacityModel}.
 *
 * @see ../../../../shared/DESIGN.md §8 — k3s footprint: server ~1.6 GB, agent ~275 MB
 * @see https://docs.k3s.io/reference/resource-profiling
 */
import { MIB, type HostRole, type PodSize, type SandboxReadiness } from '@nodeless/common';
import type { HostFacts } from '../facts/types.ts';
import { podsThatFit, type CapacityModel, type SandboxRuntime } from './specs.ts';

/**
 * What k3s itself takes. Memory from DESIGN.md §8; CPU is our conservative assumption
 * (k3s idles well below it, but control-plane bursts need headroom).
 */
export const K3S_RESERVE: Readonly<Record<HostRole, { cpuMilli: number; memoryBytes: number }>> = {
  server: { cpuMilli: 500, memoryBytes: 1600 * MIB },
  agent: { cpuMilli: 100, memoryBytes: 275 * MIB },
};

/** Input per host. */
export interface CapacityHost {
  readonly name: string;
  readonly role: HostRole;
  readonly facts: HostFacts;
  readonly sandbox: SandboxReadiness;
  /** False when the host is blocked: it contributes nothing. */
  readonly eligible: boolean;
}

/** One host's card on the capacity map. */
export interface HostCapacity {
  readonly name: string;
  readonly role: HostRole;
  readonly eligible: boolean;
  readonly sandbox: SandboxReadiness;
  readonly cpuCount: number;
  readonly memoryBytes: number;
  readonly diskFreeBytes: number;
  /** Left for pods after the k3s reserve (0 when not eligible). */
  readonly allocatableCpuMilli: number;
  readonly allocatableMemoryBytes: number;
}

/** The cluster's serverless capacity. */
export interface CapacityMap {
  readonly runtime: SandboxRuntime;
  readonly hosts: readonly HostCapacity[];
  readonly total: { readonly cpuMilli: number; readonly memoryBytes: number };
  /** For every pod size: how many such pods fit in the cluster at once. */
  readonly pods: readonly (PodSize & { readonly fit: number })[];
}

/** Picks the runtime a host would use: microVM runtime if ready, else gVisor. */
function hostRuntime(sandbox: SandboxReadiness, microvm: SandboxRuntime): SandboxRuntime {
  return sandbox === 'microvm-ready' ? microvm : 'gvisor';
}

/**
 * Computes the capacity map over `model`'s sizes and overheads; `microvm` is the Kata flavour
 * in use (default Cloud Hypervisor).
 */
export function computeCapacity(
  hosts: readonly CapacityHost[],
  model: CapacityModel,
  microvm: SandboxRuntime = 'kata-clh',
): CapacityMap {
  const cards: HostCapacity[] = hosts.map((h) => {
    const reserve = K3S_RESERVE[h.role];
    const usable = h.eligible && h.sandbox !== 'unsupported';
    return {
      name: h.name,
      role: h.role,
      eligible: usable,
      sandbox: h.sandbox,
      cpuCount: h.facts.cpu.count,
      memoryBytes: h.facts.memory.totalBytes,
      diskFreeBytes: h.facts.disk.freeBytes,
      allocatableCpuMilli: usable ? Math.max(0, h.facts.cpu.count * 1000 - reserve.cpuMilli) : 0,
      allocatableMemoryBytes: usable
        ? Math.max(0, h.facts.memory.totalBytes - reserve.memoryBytes)
        : 0,
    };
  });
  const pods = model.specs.map((spec) => ({
    ...spec,
    fit: cards.reduce(
      (sum, c) =>
        sum +
        podsThatFit(
          spec,
          c.allocatableCpuMilli,
          c.allocatableMemoryBytes,
          model.overhead[hostRuntime(c.sandbox, microvm)],
        ),
      0,
    ),
  }));
  return {
    runtime: microvm,
    hosts: cards,
    total: {
      cpuMilli: cards.reduce((s, c) => s + c.allocatableCpuMilli, 0),
      memoryBytes: cards.reduce((s, c) => s + c.allocatableMemoryBytes, 0),
    },
    pods,
  };
}
