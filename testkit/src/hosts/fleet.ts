/**
 * Fleets of test hosts: bring up (idempotent), load, list, tear down (leaving nothing).
 * SSH keys, known_hosts and waiting for sshd are in `./fleet-ssh.ts`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { generateAccountKeys, publicKeys, waitSsh, writeKnownHosts } from './fleet-ssh.ts';
import { TestHost, type HostContext } from './host.ts';
import { withLock } from './lock.ts';
import {
  MachinePaths,
  mountRoot,
  readHostKey,
  startContainer,
  stopContainer,
  unmountRoot,
  writeIdentity,
  nspawnPid,
} from './machine.ts';
import {
  ensureFleetNetwork,
  ensureHostNetwork,
  netnsExists,
  removeFleetNetwork,
  removeHostNetwork,
  usedSubnetIndices,
  sweepStaleFleetNetwork,
} from './network.ts';
import {
  DEFAULT_PREFIX,
  FleetPaths,
  MAX_FLEETS,
  MAX_HOSTS_PER_FLEET,
  cacheRoot,
  fleetAddresses,
  locksDir,
  validatePrefix,
} from './paths.ts';
import { ensureBaseRootfs, ensureHostTools } from './rootfs.ts';
import { runCommand, stderrLog, type CommandRunner, type Log } from './run.ts';
import {
  readJson,
  writeJson,
  type FleetInventory,
  type FleetState,
  type HostState,
} from './state.ts';

// Re-exported so importers of this module (and `./index.ts`) keep finding it here.
export { sshOptions } from './fleet-ssh.ts';

/** Dependencies and knobs shared by every fleet operation. */
export interface FleetEnv {
  /** Cache root; default `testkit/.cache` or `$NODELESS_TESTKIT_CACHE`. */
  readonly cache?: string;
  readonly run?: CommandRunner;
  readonly log?: Log;
}

/** Options of {@link upFleet}. */
export interface UpOptions extends FleetEnv {
  readonly count: number;
  /** Hosts are named `<prefix>-1…n`; default `th`. */
  readonly prefix?: string;
  /** Size of each host's disk image (sparse), default 4096 MiB. */
  readonly diskMiB?: number;
  /** Per-host limit for SSH to come up, default 90 s. */
  readonly sshTimeoutMs?: number;
}

/** A fleet of running test hosts. */
export class Fleet {
  constructor(
    readonly paths: FleetPaths,
    readonly state: FleetState,
    readonly hosts: readonly TestHost[],
    private readonly env: Required<FleetEnv>,
  ) {}

  get prefix(): string {
    return this.state.prefix;
  }
  /** known_hosts with every host's current key (kept up to date by host-key faults). */
  get knownHostsPath(): string {
    return this.paths.knownHostsFile;
  }
  /** The host named `name`; throws when there is none. */
  host(name: string): TestHost {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`fleet ${this.prefix} has no host ${name}`);
    return h;
  }
  /** What `hosts up` prints. */
  inventory(): FleetInventory {
    return {
      prefix: this.prefix,
      knownHostsPath: this.knownHostsPath,
      hosts: this.hosts.map((h) => h.inventory()),
    };
  }
  /** Stops and removes every host, namespace, veth, mount and file of the fleet. */
  down(): Promise<void> {
    return downFleet({ ...this.env, prefix: this.prefix });
  }
}

function resolveEnv(env: FleetEnv): Required<FleetEnv> {
  return { cache: env.cache ?? cacheRoot(), run: env.run ?? runCommand, log: env.log ?? stderrLog };
}

const globalLock = (cache: string) => path.join(locksDir(cache), 'fleets.lock');

/**
 * Brings up `count` hosts (idempotent: running hosts are kept, stopped ones booted, missing
 * ones created; hosts beyond `count` stay). Resolves when every host accepts SSH as admin
 * with its known host key. Cold (no cached rootfs) ≈ 1–2 min, warm ≈ seconds per host.
 */
export async function upFleet(options: UpOptions): Promise<Fleet> {
  const env = resolveEnv(options);
  const prefix = validatePrefix(options.prefix ?? DEFAULT_PREFIX);
  if (!(
    Number.isInteger(options.count) &&
    options.count >= 1 &&
    options.count <= MAX_HOSTS_PER_FLEET
  )) {
    throw new Error(`count must be an integer in 1..${MAX_HOSTS_PER_FLEET}`);
  }
  const paths = new FleetPaths(env.cache, prefix);
  if (process.getuid?.() !== 0)
    throw new Error('test hosts need root (systemd-nspawn, ip netns, mount)');
  await ensureHostTools(env.run, env.log);
  const base = await ensureBaseRootfs(env.cache, env.run, env.log);
  const state = await withLock(globalLock(env.cache), async () => {
    const st =
      (await readJson<FleetState>(paths.stateFile)) ??
      (await newFleetState(env, paths, base, options.diskMiB ?? 4096));
    await writeJson(paths.stateFile, st);
    await ensureFleetNetwork(env.run, paths.netns, st.subnetIndex);
    const keys = await publicKeys(paths);
    for (let index = 1; index <= options.count; index++) {
      const name = paths.hostName(index);
      let hs = st.hosts.find((h) => h.name === name);
      if (!hs) {
        hs = {
          name,
          index,
          address: fleetAddresses(st.subnetIndex).host(index),
          netns: paths.hostNetns(name),
          dir: paths.hostDir(name),
          hostKeySha256: '',
          hostPublicKey: '',
        };
        st.hosts.push(hs);
      }
      const m = new MachinePaths(hs.dir);
      await ensureHostNetwork(env.run, paths.netns, hs.netns, st.subnetIndex, index);
      await mountRoot(env.run, m, st.rootfs, st.diskMiB);
      const marker = path.join(m.root, 'etc/nodeless-testkit-host');
      if (
        !(await fs.access(marker).then(
          () => true,
          () => false,
        ))
      ) {
        await writeIdentity(env.run, m.root, name, keys, st.opsPassword);
        await fs.writeFile(marker, `${name}\n`);
      }
      const key = await readHostKey(env.run, m.root);
      hs.hostKeySha256 = key.sha256;
      hs.hostPublicKey = key.publicKey;
      if ((await nspawnPid(m)) === undefined) {
        env.log(`booting ${name} at ${hs.address}`);
        await startContainer(m, name, hs.netns);
      }
      await writeJson(paths.stateFile, st);
    }
    await writeKnownHosts(paths, st);
    return st;
  });
  const fleet = makeFleet(env, paths, state);
  await Promise.all(
    fleet.hosts.map((h) => waitSsh(env.run, paths, h, options.sshTimeoutMs ?? 90_000)),
  );
  await writeJson(paths.inventoryFile, fleet.inventory());
  return fleet;
}

async function newFleetState(
  env: Required<FleetEnv>,
  paths: FleetPaths,
  rootfs: string,
  diskMiB: number,
): Promise<FleetState> {
  const stale = await sweepStaleFleetNetwork(env.run, paths.netns);
  if (stale.length)
    env.log(`removed stale namespaces of an earlier ${paths.prefix} fleet: ${stale.join(', ')}`);
  const taken = await usedSubnetIndices(env.run);
  const fleetsDir = path.dirname(paths.dir);
  for (const other of await fs.readdir(fleetsDir).catch(() => [] as string[])) {
    const st = await readJson<FleetState>(path.join(fleetsDir, other, 'state.json'));
    if (st) taken.add(st.subnetIndex);
  }
  let subnetIndex = 0;
  for (let n = 1; n <= MAX_FLEETS; n++) {
    if (!taken.has(n)) {
      subnetIndex = n;
      break;
    }
  }
  if (!subnetIndex) throw new Error('no free fleet subnet in 10.213.0.0/16');
  await generateAccountKeys(env.run, paths);
  env.log(`new fleet ${paths.prefix} on 10.213.${subnetIndex}.0/24`);
  return {
    prefix: paths.prefix,
    subnetIndex,
    rootfs,
    diskMiB,
    opsPassword: randomBytes(12).toString('base64url'),
    hosts: [],
  };
}

function makeFleet(env: Required<FleetEnv>, paths: FleetPaths, state: FleetState): Fleet {
  const ctx: HostContext = {
    run: env.run,
    fleetNetns: paths.netns,
    keysDir: paths.keysDir,
    state,
    save: async () => {
      await writeJson(paths.stateFile, state);
      await writeKnownHosts(paths, state);
      await writeJson(paths.inventoryFile, fleet.inventory());
    },
    waitSsh: (host, timeoutMs) => waitSsh(env.run, paths, host, timeoutMs ?? 90_000),
  };
  const fleet: Fleet = new Fleet(
    paths,
    state,
    [...state.hosts].sort((a, b) => a.index - b.index).map((h) => new TestHost(ctx, h)),
    env,
  );
  return fleet;
}

/** Loads an existing fleet (no changes made); undefined when there is none. */
export async function loadFleet(
  options: FleetEnv & { prefix?: string },
): Promise<Fleet | undefined> {
  const env = resolveEnv(options);
  const paths = new FleetPaths(env.cache, validatePrefix(options.prefix ?? DEFAULT_PREFIX));
  const state = await readJson<FleetState>(paths.stateFile);
  return state ? makeFleet(env, paths, state) : undefined;
}

/** Summary of every fleet on this machine, for `hosts list`. */
export async function listFleets(
  options: FleetEnv = {},
): Promise<
  Array<{ prefix: string; hosts: Array<{ name: string; address: string; running: boolean }> }>
> {
  const env = resolveEnv(options);
  const out = [];
  for (const prefix of (
    await fs.readdir(path.join(env.cache, 'fleets')).catch(() => [] as string[])
  ).sort()) {
    const fleet = await loadFleet({ ...env, prefix }).catch(() => undefined);
    if (!fleet) continue;
    const hosts = [];
    for (const h of fleet.hosts)
      hosts.push({ name: h.name, address: h.address, running: await h.isRunning() });
    out.push({ prefix, hosts });
  }
  return out;
}

/**
 * Stops and removes a fleet: containers (graceful, then killed), drop timers, mounts, host
 * and fleet namespaces (their veths go with them), the route, and the fleet's files.
 * Also sweeps leftovers of a crashed `up` that never reached the state file.
 */
export async function downFleet(options: FleetEnv & { prefix?: string }): Promise<void> {
  const env = resolveEnv(options);
  const paths = new FleetPaths(env.cache, validatePrefix(options.prefix ?? DEFAULT_PREFIX));
  await withLock(globalLock(env.cache), async () => {
    const fleet = await loadFleet({ ...env, prefix: paths.prefix });
    const hostStates: HostState[] = fleet ? [...fleet.state.hosts] : [];
    await Promise.all(
      (fleet?.hosts ?? []).map((h) => h.stopDroppingPackets().catch(() => undefined)),
    );
    // Hosts on disk but not in the state (a crashed up).
    for (const name of await fs
      .readdir(path.join(paths.dir, 'hosts'))
      .catch(() => [] as string[])) {
      const index = Number(name.slice(paths.prefix.length + 1));
      if (!hostStates.some((h) => h.name === name) && Number.isInteger(index)) {
        hostStates.push({
          name,
          index,
          address: '',
          netns: paths.hostNetns(name),
          dir: paths.hostDir(name),
          hostKeySha256: '',
          hostPublicKey: '',
        });
      }
    }
    await Promise.all(hostStates.map((h) => stopContainer(new MachinePaths(h.dir), false)));
    for (const h of hostStates) {
      env.log(`removing ${h.name}`);
      await unmountRoot(env.run, new MachinePaths(h.dir));
      await removeHostNetwork(env.run, paths.netns, h.netns, h.index);
      await fs.rm(path.join('/run/systemd/nspawn/propagate', h.name), {
        recursive: true,
        force: true,
      });
    }
    if (fleet) await removeFleetNetwork(env.run, paths.netns, fleet.state.subnetIndex);
    else if (await netnsExists(env.run, paths.netns))
      await env.run('ip', ['netns', 'del', paths.netns]);
    const mounts = await fs.readFile('/proc/mounts', 'utf8');
    if (mounts.split('\n').some((l) => (l.split(' ')[1] ?? '').startsWith(paths.dir + '/'))) {
      throw new Error(`refusing to delete ${paths.dir}: something is still mounted below it`);
    }
    await fs.rm(paths.dir, { recursive: true, force: true });
  });
}
