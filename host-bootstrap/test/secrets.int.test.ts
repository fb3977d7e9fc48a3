/**
 * The sudo password and the key passphrase never show up in the host's process list, nor in
 * logs, progress events or the check result.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestHost } from '../../testkit/src/hosts/index.ts';
import {
  checkHosts,
  establishPrivilege,
  openConnection,
  type ProgressEvent,
} from '../src/index.ts';
import {
  FAST,
  checkDeps,
  connectDeps,
  encryptedCopy,
  host,
  knownFleetTrust,
  setupWorld,
  type TestWorld,
} from './fleet-helpers.ts';

let world: TestWorld;
beforeAll(async () => {
  world = await setupWorld();
});
afterAll(async () => {
  await world?.release();
});

/** Samples `ps -eo args` on the host (via nsenter, not SSH) until `stop()`; returns the samples. */
function samplePs(h: TestHost): { stop: () => Promise<string[]> } {
  const samples: string[] = [];
  let running = true;
  const loop = (async () => {
    // Bounded: at most 2000 samples.
    for (let i = 0; running && i < 2000; i++)
      samples.push((await h.exec(['ps', '-eo', 'args'])).stdout);
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

it('sudo password and passphrase appear in no process list, log, event or result', async () => {
  const inv = host(world, 1);
  const h = world.fleet.hosts[1];
  if (!h) throw new Error('no host 2');
  const passphrase = `pp-${Date.now()}-secret`;
  const sudoPassword = inv.accounts.ops.sudoPassword;
  const key = encryptedCopy(world, inv.accounts.ops.keyPath, passphrase, 'ops-enc');
  const target = { host: inv.address, user: 'ops', keyPath: key };

  // 1. A long privileged command, so the sampler provably sees sudo running.
  const sampler = samplePs(h);
  const conn = await openConnection(
    target,
    { trust: knownFleetTrust(world), secrets: { passphrase }, ...FAST },
    connectDeps(world),
  );
  try {
    const root = await establishPrivilege(conn, { sudoPassword });
    expect(root.mode).toBe('sudo-password');
    await root.run('sleep 1.5; echo done');
  } finally {
    conn.close();
  }
  // 2. The full check with logs and events.
  const logs: string[] = [];
  const events: ProgressEvent[] = [];
  const result = await checkHosts(
    [{ name: 'ops', role: 'server', target, secrets: { passphrase }, sudoPassword }],
    checkDeps(world, knownFleetTrust(world), {
      logger: {
        log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields)}`),
      },
    }),
    (e) => events.push(e),
  );
  const samples = await sampler.stop();

  expect(result.hosts[0]?.status).toBe('ok');
  expect(samples.length).toBeGreaterThan(3);
  expect(samples.some((s) => s.includes('sudo -S -p'))).toBe(true);
  const everything = [
    ...samples,
    ...logs,
    JSON.stringify(events),
    JSON.stringify(result),
    execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }),
  ].join('\n');
  expect(logs.length).toBeGreaterThan(0);
  expect(everything).not.toContain(sudoPassword);
  expect(everything).not.toContain(passphrase);
});
