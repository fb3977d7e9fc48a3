/**
 * Shared setup of the host-bootstrap integration tests: one testkit fleet (`hb`, 3 Debian
 * hosts with real sshd), connector deps isolated from the developer's own ~/.ssh, and helpers.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useFleet, type Fleet, type HostInventory } from '../../testkit/src/hosts/index.ts';
import {
  MemoryKnownHostsStore,
  nodeConnectDeps,
  parseKnownHosts,
  type CheckDeps,
  type ConnectDeps,
  type TrustSources,
} from '../src/index.ts';
import { TEST_CAPACITY_MODEL } from './capacity-model.ts';

export const FLEET_PREFIX = 'hb';

/** Short limits so failures surface fast (and the tests prove they surface at all). */
export const FAST = {
  timeouts: { connectMs: 5_000, commandMs: 8_000 },
  keepalive: { intervalMs: 1_000, countMax: 3 },
  retry: { attempts: 2, baseDelayMs: 100, maxDelayMs: 200 },
} as const;

export interface TestWorld {
  readonly fleet: Fleet;
  readonly hosts: readonly HostInventory[];
  readonly home: string;
  readonly release: () => Promise<void>;
}

export async function setupWorld(): Promise<TestWorld> {
  const { fleet, release } = await useFleet({ count: 3, prefix: FLEET_PREFIX });
  const home = mkdtempSync(join(tmpdir(), 'hb-home-'));
  return {
    fleet,
    hosts: fleet.inventory().hosts,
    home,
    release: async () => {
      rmSync(home, { recursive: true, force: true });
      await release();
    },
  };
}

/** Connector deps with an empty home (no default keys, no ~/.ssh/config) and an optional agent. */
export function connectDeps(world: TestWorld, agentSocket?: string): ConnectDeps {
  return nodeConnectDeps({
    homeDir: world.home,
    ignoreSshConfig: true,
    env: { USER: 'tester', ...(agentSocket ? { SSH_AUTH_SOCK: agentSocket } : {}) },
  });
}

/** Trust as if the fleet's keys were in ~/.ssh/known_hosts. */
export function knownFleetTrust(world: TestWorld): TrustSources {
  const text = readFileSync(world.fleet.knownHostsPath, 'utf8');
  return { store: new MemoryKnownHostsStore(), knownHosts: parseKnownHosts(text, 'known_hosts') };
}

export function checkDeps(
  world: TestWorld,
  trust: TrustSources,
  extra: Partial<CheckDeps> = {},
): CheckDeps {
  return {
    connect: connectDeps(world),
    trust,
    now: Date.now,
    capacityModel: TEST_CAPACITY_MODEL,
    ...FAST,
    ...extra,
  };
}

export function host(world: TestWorld, i: number): HostInventory {
  const h = world.hosts[i];
  if (!h) throw new Error(`fleet has no host #${i}`);
  return h;
}

/** A copy of `keyPath` encrypted with `passphrase` (ssh-keygen -p). */
export function encryptedCopy(
  world: TestWorld,
  keyPath: string,
  passphrase: string,
  name: string,
): string {
  const out = join(world.home, name);
  copyFileSync(keyPath, out);
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', passphrase, '-f', out], {
    stdio: 'ignore',
  });
  return out;
}

/** A private ssh-agent holding `keyPath`; stop() kills exactly that agent. */
export async function startAgent(
  world: TestWorld,
  keyPath: string,
): Promise<{ socket: string; stop: () => void }> {
  const socket = join(world.home, `agent-${process.pid}.sock`);
  const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      execFileSync('ssh-add', ['-l'], { env: { SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      break;
    } catch (err) {
      // Exit 1 = agent up but empty; 2 = cannot connect yet.
      if ((err as { status?: number }).status === 1) break;
      if (Date.now() > deadline) throw new Error('ssh-agent did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  execFileSync('ssh-add', [keyPath], { env: { SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
  return { socket, stop: () => agent.kill('SIGTERM') };
}
