/**
 * Test hosts: fleets of real Debian 12 machines on this box (systemd-nspawn containers, each
 * with systemd, sshd, its own network namespace and address), with reversible faults.
 *
 * ```ts
 * const { fleet, release } = await useFleet({ count: 3, prefix: 'boot' });
 * const [h1] = fleet.hosts;                 // h1.address, h1.inventory().accounts.admin.keyPath
 * await h1.cutNetwork(); … await h1.restoreNetwork();
 * await release();                          // downs it unless it is shared (see useFleet)
 * ```
 *
 * @see ../../README.md for the full contract and the CLI (`npm run testkit -- hosts …`).
 */
import { downFleet, loadFleet, upFleet, type Fleet, type UpOptions } from './fleet.ts';

export { Fleet, upFleet, loadFleet, downFleet, listFleets, sshOptions } from './fleet.ts';
export type { FleetEnv, UpOptions } from './fleet.ts';
export { TestHost } from './host.ts';
export type {
  AccountInventory,
  FleetInventory,
  HostInventory,
  OpsAccountInventory,
} from './state.ts';
export type { CommandResult, CommandRunner, RunOptions } from './run.ts';

/**
 * Environment switches of {@link useFleet}:
 * - `NODELESS_TESTKIT_KEEP_FLEET=1`: never tear fleets down after a suite, so the next suite
 *   (or the next `vitest run`) reuses them in seconds. Remove with `hosts down --all`.
 */
export const KEEP_FLEET_ENV = 'NODELESS_TESTKIT_KEEP_FLEET';

/**
 * The convention for test suites: bring a fleet up once (idempotent, so a fleet already
 * running under this prefix — e.g. from `npm run testkit -- hosts up 3 --name boot` or an
 * earlier suite — is reused as is) and get `release()` for `afterAll`. `release()` tears the
 * fleet down only if this call created it and `NODELESS_TESTKIT_KEEP_FLEET` is not set, so a
 * fleet brought up by hand stays up for the next run.
 */
export async function useFleet(
  options: UpOptions,
): Promise<{ fleet: Fleet; release: () => Promise<void> }> {
  const existed = (await loadFleet(options)) !== undefined;
  const fleet = await upFleet(options);
  const keep = existed || process.env[KEEP_FLEET_ENV] === '1';
  return {
    fleet,
    release: async () => {
      if (!keep) await downFleet({ ...options, prefix: fleet.prefix });
    },
  };
}
