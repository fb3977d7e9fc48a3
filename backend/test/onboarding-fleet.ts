/**
 * Shared setup of the backend onboarding tests: the `obk` testkit fleet (3 Debian hosts with
 * real sshd; 16 GiB sparse disks so the disk rule passes and verdicts show what a test caused),
 * an empty home (no ~/.ssh of the developer leaks in), short limits, and samplers that record
 * the process lists on a test host and locally while a check runs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  useFleet,
  type Fleet,
  type HostInventory,
  type TestHost,
} from '../../testkit/src/hosts/index.ts';
import type { NodeEngineOptions } from '../src/onboarding/engine.ts';
import { tempDir } from './support.ts';

export const FLEET = { count: 3, prefix: 'obk', diskMiB: 16_384 } as const;

export interface OnboardingWorld {
  fleet: Fleet;
  hosts: readonly HostInventory[];
  /** Empty home: no ~/.ssh/config, known_hosts or default keys. */
  home: string;
  release(): Promise<void>;
}

export async function setupFleet(): Promise<OnboardingWorld> {
  const { fleet, release } = await useFleet(FLEET);
  const home = tempDir('obk-home');
  return {
    fleet,
    hosts: fleet.inventory().hosts,
    home,
    release: async () => {
      fs.rmSync(home, { recursive: true, force: true });
      await release();
    },
  };
}

/** Engine options for a backend under test: empty home, no agent, fast failure. */
export function engineOptions(world: OnboardingWorld): NodeEngineOptions {
  return {
    homeDir: world.home,
    env: { USER: 'tester' },
    checkOptions: {
      concurrency: 3,
      timeouts: { connectMs: 5_000, commandMs: 20_000 },
      keepalive: { intervalMs: 1_000, countMax: 3 },
      retry: { attempts: 2, baseDelayMs: 100, maxDelayMs: 200 },
    },
  };
}

export function inv(world: OnboardingWorld, i: number): HostInventory {
  const h = world.hosts[i];
  if (!h) throw new Error(`fleet has no host #${i}`);
  return h;
}

export function testHost(world: OnboardingWorld, i: number): TestHost {
  const h = world.fleet.hosts[i];
  if (!h) throw new Error(`fleet has no host #${i}`);
  return h;
}

/** A copy of `keyPath` encrypted with `passphrase` (ssh-keygen -p), in `dir`. */
export function encryptedKey(dir: string, keyPath: string, passphrase: string): string {
  const out = path.join(dir, `enc-${path.basename(keyPath)}`);
  fs.copyFileSync(keyPath, out);
  fs.chmodSync(out, 0o600);
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', passphrase, '-f', out], {
    stdio: 'ignore',
  });
  return out;
}

/** Every local process's argv, joined (what `ps` would show). */
function localCmdlines(): string {
  const out: string[] = [];
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      out.push(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // The process ended between readdir and read.
    }
  }
  return out.join('\n');
}

/**
 * Samples `ps -eo args` on `host` (via nsenter, not SSH) and local `/proc/*\/cmdline` until
 * `stop()`. Bounded: at most 2000 samples each.
 */
export function sampleProcesses(host: TestHost): {
  stop(): Promise<{ remote: string[]; local: string[] }>;
} {
  const remote: string[] = [];
  const local: string[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running && i < 2000; i++) {
      remote.push((await host.exec(['ps', '-eo', 'args'])).stdout);
      local.push(localCmdlines());
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { remote, local };
    },
  };
}
