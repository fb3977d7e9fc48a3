/**
 * Where fleets live on disk and how their parts are named. One place, so `down` removes
 * exactly what `up` made.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Cache root (gitignored `testkit/.cache/`), overridable with `NODELESS_TESTKIT_CACHE`.
 * Holds base root file systems, fleet state, keys and per-host disks.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['NODELESS_TESTKIT_CACHE'];
  if (fromEnv) return path.resolve(fromEnv);
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.cache');
}

/** Default fleet prefix: hosts are named `th-1`, `th-2`, … */
export const DEFAULT_PREFIX = 'th';

/** A prefix becomes part of hostnames and namespace names, so it stays short and plain. */
export function validatePrefix(prefix: string): string {
  if (!/^[a-z][a-z0-9]{0,9}$/.test(prefix)) {
    throw new Error(`fleet prefix must match [a-z][a-z0-9]{0,9}, got "${prefix}"`);
  }
  return prefix;
}

/**
 * Private ranges for fleets: fleet N uses 10.213.N.0/24 for hosts (gateway .1, host i at
 * .(10+i)) and 10.214.N.0/30 as the link between the machine and the fleet namespace.
 * Neither range is routed anywhere else; the fleet namespace has no default route, so
 * nothing a host sends can leave the box.
 */
export const HOST_NET_PREFIX = '10.213';
export const UPLINK_NET_PREFIX = '10.214';
export const MAX_FLEETS = 200;
export const MAX_HOSTS_PER_FLEET = 200;

/** Naming and paths of one fleet. */
export class FleetPaths {
  constructor(
    readonly cache: string,
    readonly prefix: string,
  ) {}
  get dir(): string {
    return path.join(this.cache, 'fleets', this.prefix);
  }
  get stateFile(): string {
    return path.join(this.dir, 'state.json');
  }
  get inventoryFile(): string {
    return path.join(this.dir, 'inventory.json');
  }
  get keysDir(): string {
    return path.join(this.dir, 'keys');
  }
  get knownHostsFile(): string {
    return path.join(this.dir, 'known_hosts');
  }
  /** Network namespace holding the fleet's bridge. */
  get netns(): string {
    return `nlk-${this.prefix}`;
  }
  hostName(index: number): string {
    return `${this.prefix}-${index}`;
  }
  hostDir(name: string): string {
    return path.join(this.dir, 'hosts', name);
  }
  /** Each host's own network namespace (its container joins it). */
  hostNetns(name: string): string {
    return `nlk-${name}`;
  }
}

/** Address plan of fleet number `n`. */
export function fleetAddresses(n: number): {
  gateway: string;
  hostCidr: string;
  uplinkMachine: string;
  uplinkFleet: string;
  uplinkIf: string;
  host(index: number): string;
} {
  return {
    gateway: `${HOST_NET_PREFIX}.${n}.1`,
    hostCidr: `${HOST_NET_PREFIX}.${n}.0/24`,
    uplinkMachine: `${UPLINK_NET_PREFIX}.${n}.1`,
    uplinkFleet: `${UPLINK_NET_PREFIX}.${n}.2`,
    uplinkIf: `nlk${n}`,
    host: (index) => `${HOST_NET_PREFIX}.${n}.${10 + index}`,
  };
}

/** Base root file systems, one directory per recipe hash. */
export function rootfsDir(cache: string, hash: string): string {
  return path.join(cache, 'rootfs', hash);
}

export function locksDir(cache: string): string {
  return path.join(cache, 'locks');
}
