/**
 * Cluster-level preflight: rules no single host can judge. Pure.
 *
 * @see https://etcd.io/docs/v3.5/faq/#why-an-odd-number-of-cluster-members
 * @see https://docs.k3s.io/datastore/ha-embedded
 */
import {
  block,
  describeSize,
  GIB,
  ok,
  warn,
  worstLevel,
  type HostRole,
  type Verdict,
  type VerdictLevel,
} from '@nodeless/common';
import type { ClockSkew } from '../facts/types.ts';
import type { CapacityMap } from './capacity.ts';

/** Largest tolerated clock difference (host vs desktop, and between hosts). */
export const MAX_SKEW_MS = 30_000;

/** What the cluster rules need per host (hosts whose facts failed are left out). */
export interface ClusterHostInput {
  readonly name: string;
  readonly role: HostRole;
  readonly hostname: string;
  readonly machineId: string;
  readonly clock: ClockSkew | undefined;
}

/** Cluster verdicts. */
export interface ClusterVerdicts {
  readonly level: VerdictLevel;
  readonly verdicts: readonly Verdict[];
}

function duplicates(
  hosts: readonly ClusterHostInput[],
  key: (h: ClusterHostInput) => string,
): string[][] {
  const groups = new Map<string, string[]>();
  for (const h of hosts) {
    const k = key(h);
    if (!k) continue;
    groups.set(k, [...(groups.get(k) ?? []), h.name]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

/**
 * Evaluates the cluster rules. `declaredServers` counts servers in the plan even if their
 * facts failed (so "no server" is not reported just because a server was unreachable).
 */
export function preflightCluster(
  hosts: readonly ClusterHostInput[],
  declaredServers: number,
  capacity: CapacityMap,
): ClusterVerdicts {
  const v: Verdict[] = [];
  if (declaredServers < 1)
    v.push(
      block('servers', 'no server in the cluster', 'Give at least one host the role "server".'),
    );
  else if (declaredServers % 2 === 0)
    v.push(
      warn(
        'servers',
        `${declaredServers} servers: an even number adds no fault tolerance to etcd`,
        `Use ${declaredServers - 1} or ${declaredServers + 1} servers (an odd number keeps quorum).`,
      ),
    );
  else v.push(ok('servers', `${declaredServers} server${declaredServers > 1 ? 's (HA)' : ''}`));

  const dupNames = duplicates(hosts, (h) => h.hostname.toLowerCase());
  for (const g of dupNames)
    v.push(
      block(
        'unique-hostname',
        `${g.join(', ')} share the hostname "${hosts.find((h) => h.name === g[0])?.hostname}"`,
        'Give each machine its own hostname (`hostnamectl set-hostname`).',
      ),
    );
  const dupIds = duplicates(hosts, (h) => h.machineId);
  for (const g of dupIds)
    v.push(
      block(
        'unique-machine-id',
        `${g.join(', ')} share one /etc/machine-id (cloned machines?)`,
        'On each clone: `rm /etc/machine-id && systemd-machine-id-setup`, then reboot.',
      ),
    );
  if (dupNames.length === 0 && dupIds.length === 0 && hosts.length > 0)
    v.push(ok('unique-identity', 'hostnames and machine-ids are unique'));

  const clocked = hosts.filter(
    (h): h is ClusterHostInput & { clock: ClockSkew } => h.clock !== undefined,
  );
  const skewed = clocked.filter(
    (h) => Math.abs(h.clock.skewMs) - h.clock.uncertaintyMs > MAX_SKEW_MS,
  );
  for (const h of skewed)
    v.push(
      block(
        'clock',
        `${h.name}'s clock is ${Math.round(h.clock.skewMs / 1000)} s off this computer's`,
        'Enable time sync on the machine (`timedatectl set-ntp true`, chrony or systemd-timesyncd).',
      ),
    );
  if (clocked.length > 1 && skewed.length === 0) {
    const skews = clocked.map((h) => h.clock.skewMs);
    const spread = Math.max(...skews) - Math.min(...skews);
    if (spread > MAX_SKEW_MS)
      v.push(
        block(
          'clock',
          `host clocks differ by ${Math.round(spread / 1000)} s`,
          'Enable time sync (NTP) on every machine.',
        ),
      );
  }
  if (skewed.length === 0 && clocked.length > 0) v.push(ok('clock', 'clocks agree within 30 s'));

  const smallest = capacity.pods[0];
  if (!smallest || smallest.fit === 0)
    v.push(
      block(
        'capacity',
        `no eligible host has room for even the smallest pod (${smallest ? describeSize(smallest) : 'none given'})`,
        'Fix the blocking host verdicts or add a machine.',
      ),
    );
  else
    v.push(
      ok(
        'capacity',
        `${(capacity.total.cpuMilli / 1000).toFixed(2)} vCPU and ${(capacity.total.memoryBytes / GIB).toFixed(1)} GiB for pods; ${smallest.fit} of the smallest pods fit`,
      ),
    );
  return { level: worstLevel(v), verdicts: v };
}
