import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFacts } from '../facts/parse.ts';
import type { HostFacts } from '../facts/types.ts';
import { computeCapacity, K3S_RESERVE } from './capacity.ts';
import { preflightCluster } from './cluster-rules.ts';
import { preflightHost, sandboxReadiness } from './host-rules.ts';
import { DEFAULT_POD_SIZE, type Verdict } from '@nodeless/common';
import { TEST_CAPACITY_MODEL } from '../../test/capacity-model.ts';
import { podsThatFit } from './specs.ts';

const facts = (name: string): HostFacts =>
  parseFacts(readFileSync(new URL(`../facts/fixtures/${name}.txt`, import.meta.url), 'utf8'));
const GiB = 2 ** 30;
const rule = (r: { verdicts: readonly Verdict[] }, name: string) =>
  r.verdicts.filter((v) => v.rule === name);

describe('host rules', () => {
  it('Debian 12 bare metal is ok and microVM-ready', () => {
    const r = preflightHost(facts('debian-12'), 'server', 'microvm');
    expect(r.level).toBe('ok');
    expect(r.sandbox).toBe('microvm-ready');
  });
  it('Ubuntu with k3s: ports owned by k3s and swap are warnings', () => {
    const r = preflightHost(facts('ubuntu-24.04'), 'server');
    expect(r.level).toBe('warn');
    expect(rule(r, 'port-6443')[0]).toMatchObject({ level: 'warn' });
    expect(rule(r, 'swap')[0]?.level).toBe('warn');
    expect(rule(r, 'k3s')[0]?.reason).toContain('v1.30.5+k3s1');
  });
  it('Rocky VM without nested virt: blocks microVM with a remedy, fine for gVisor; small disk blocks', () => {
    const f = facts('rocky-9');
    const micro = preflightHost(f, 'agent', 'microvm');
    expect(micro.sandbox).toBe('gvisor-only');
    const sb = rule(micro, 'sandbox')[0];
    expect(sb?.level).toBe('block');
    expect(sb?.reason).toContain('no usable /dev/kvm');
    expect(sb?.remedy).toMatch(/nested virtualisation.*gVisor/);
    expect(rule(micro, 'disk')[0]).toMatchObject({ level: 'block' });
    expect(rule(micro, 'disk')[0]?.remedy).toContain('/var/lib');
    expect(rule(preflightHost(f, 'agent', 'gvisor'), 'sandbox')[0]?.level).toBe('ok');
  });
  it('Leap: little RAM blocks a server, cgroup v1 warns, foreign process on 6443 blocks', () => {
    const r = preflightHost(facts('opensuse-leap-15'), 'server', 'auto');
    expect(rule(r, 'memory')[0]?.level).toBe('block');
    expect(rule(r, 'cgroup')[0]?.level).toBe('warn');
    expect(rule(r, 'port-6443')[0]).toMatchObject({ level: 'block' });
    expect(rule(r, 'disk')[0]?.level).toBe('block');
    expect(rule(r, 'sandbox')[0]?.level).toBe('warn');
    // As an agent, 6443 is irrelevant and 1.7 GiB is enough to run.
    const agent = preflightHost(facts('opensuse-leap-15'), 'agent');
    expect(rule(agent, 'port-6443')).toEqual([]);
    expect(rule(agent, 'memory')[0]?.level).toBe('warn');
  });
  it('names the process holding a port', () => {
    const f = {
      ...facts('debian-12'),
      portsInUse: [
        { port: 6443, proto: 'tcp' as const, address: '0.0.0.0', process: 'node', pid: 77 },
      ],
    };
    const v = rule(preflightHost(f, 'server'), 'port-6443')[0];
    expect(v).toMatchObject({ level: 'block' });
    expect(v?.reason).toContain('node (pid 77)');
    expect(v?.remedy).toContain('Stop node (pid 77)');
  });
  it('blocks unsupported arch, no systemd, localhost; warns at 10–20 GiB disk', () => {
    const base = facts('debian-12');
    const r = preflightHost(
      {
        ...base,
        arch: 'riscv64',
        systemd: false,
        hostname: 'localhost',
        disk: { ...base.disk, freeBytes: 15 * GiB },
      },
      'agent',
    );
    expect(r.sandbox).toBe('unsupported');
    for (const n of ['arch', 'systemd', 'hostname', 'sandbox'])
      expect(rule(r, n)[0]?.level).toBe('block');
    expect(rule(r, 'disk')[0]?.level).toBe('warn');
    expect(sandboxReadiness({ ...base, vhostVsock: 'absent' })).toBe('gvisor-only');
  });
});

describe('cluster rules', () => {
  const input = (
    name: string,
    over: Partial<{ hostname: string; machineId: string; skew: number }> = {},
  ) => ({
    name,
    role: 'server' as const,
    hostname: over.hostname ?? name,
    machineId: over.machineId ?? `id-${name}`,
    clock: { skewMs: over.skew ?? 0, uncertaintyMs: 5 },
  });
  const cap = computeCapacity(
    [
      {
        name: 'a',
        role: 'agent',
        facts: facts('debian-12'),
        sandbox: 'microvm-ready',
        eligible: true,
      },
    ],
    TEST_CAPACITY_MODEL,
  );
  it('flags duplicates, skew, no server and even server count', () => {
    const r = preflightCluster(
      [input('a'), input('b', { hostname: 'A', machineId: 'id-a', skew: 45_000 })],
      2,
      cap,
    );
    const rules = r.verdicts.filter((v) => v.level !== 'ok').map((v) => `${v.level}:${v.rule}`);
    expect(rules).toEqual([
      'warn:servers',
      'block:unique-hostname',
      'block:unique-machine-id',
      'block:clock',
    ]);
    expect(preflightCluster([input('a')], 0, cap).verdicts[0]).toMatchObject({
      rule: 'servers',
      level: 'block',
    });
    expect(preflightCluster([input('a'), input('b'), input('c')], 3, cap).level).toBe('ok');
  });
  it('flags hosts whose clocks disagree with each other', () => {
    const r = preflightCluster(
      [input('a', { skew: -20_000 }), input('b', { skew: 20_000 })],
      1,
      cap,
    );
    expect(r.verdicts.find((v) => v.rule === 'clock')?.level).toBe('block');
  });
  it('blocks a cluster without capacity', () => {
    const none = computeCapacity([], TEST_CAPACITY_MODEL);
    expect(preflightCluster([], 1, none).verdicts.find((v) => v.rule === 'capacity')?.level).toBe(
      'block',
    );
  });
});

describe('specs and capacity', () => {
  const { overhead } = TEST_CAPACITY_MODEL;
  it('fits pods including RuntimeClass overhead', () => {
    const ov = overhead['kata-clh'];
    // 0.25 vCPU + 250m = 500m per pod; 0.5 GiB + 130 MiB per pod.
    expect(podsThatFit(DEFAULT_POD_SIZE, 2000, 100 * GiB, ov)).toBe(4);
    expect(podsThatFit(DEFAULT_POD_SIZE, 100_000, 2 * GiB, ov)).toBe(3);
    expect(podsThatFit(DEFAULT_POD_SIZE, 100_000, 2 * GiB, overhead['kata-qemu'])).toBe(3);
  });
  it('subtracts the k3s reserve and ignores blocked hosts', () => {
    const deb = facts('debian-12');
    const map = computeCapacity(
      [
        { name: 's', role: 'server', facts: deb, sandbox: 'microvm-ready', eligible: true },
        { name: 'x', role: 'agent', facts: deb, sandbox: 'microvm-ready', eligible: false },
      ],
      TEST_CAPACITY_MODEL,
    );
    expect(map.hosts[0]?.allocatableCpuMilli).toBe(8000 - K3S_RESERVE.server.cpuMilli);
    expect(map.hosts[0]?.allocatableMemoryBytes).toBe(
      deb.memory.totalBytes - K3S_RESERVE.server.memoryBytes,
    );
    expect(map.hosts[1]?.allocatableCpuMilli).toBe(0);
    expect(map.total.cpuMilli).toBe(7500);
    const smallest = map.pods[0];
    // CPU-bound: 7500m / 500m = 15.
    expect(smallest?.fit).toBe(15);
    expect(map.pods.find((p) => p.cpuMilli === 16_000)?.fit).toBe(0);
  });
  it('counts with the sizes and overheads it is given', () => {
    const deb = facts('debian-12');
    const host = { name: 's', role: 'server', facts: deb, eligible: true } as const;
    const kata = computeCapacity([{ ...host, sandbox: 'microvm-ready' }], TEST_CAPACITY_MODEL);
    expect(kata.pods.map(({ cpuMilli, memoryBytes }) => ({ cpuMilli, memoryBytes }))).toEqual(
      TEST_CAPACITY_MODEL.specs,
    );
    // gVisor has no overhead: 7500m / 250m = 30 of the smallest pods.
    const gvisor = computeCapacity([{ ...host, sandbox: 'gvisor-only' }], TEST_CAPACITY_MODEL);
    expect(gvisor.pods[0]?.fit).toBe(30);
    const bigOverhead = {
      ...TEST_CAPACITY_MODEL,
      overhead: { ...TEST_CAPACITY_MODEL.overhead, 'kata-clh': { cpuMilli: 1250, memoryBytes: 0 } },
    };
    // 7500m / (250m + 1250m) = 5.
    expect(computeCapacity([{ ...host, sandbox: 'microvm-ready' }], bigOverhead).pods[0]?.fit).toBe(
      5,
    );
  });
});
