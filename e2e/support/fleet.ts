/**
 * Test hosts for the onboarding e2e: a small fleet of real Debian machines (testkit), brought
 * up once in global setup. Its inventory reaches the tests through a 0600 JSON file named by
 * an env variable (it holds the ops sudo password, so never in env or logs itself).
 *
 * @see ../../testkit/src/hosts/index.ts — `useFleet`, `FleetInventory`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { FleetInventory } from '../../testkit/src/hosts/index.ts';

export const FLEET_FILE_ENV = 'NODELESS_E2E_FLEET_FILE';
export const FLEET_ERROR_ENV = 'NODELESS_E2E_FLEET_ERROR';
export const FLEET_PREFIX = 'e2e';
export const FLEET_SIZE = 2;
/** The install spec's own fleet: installing changes hosts, so it never shares them. */
export const INSTALL_FLEET_FILE_ENV = 'NODELESS_E2E_INSTALL_FLEET_FILE';
export const INSTALL_FLEET_ERROR_ENV = 'NODELESS_E2E_INSTALL_FLEET_ERROR';
export const INSTALL_FLEET_PREFIX = 'e2i';
/** Directory of the stand-in airgap bundle global setup writes for the install spec. */
export const BUNDLE_DIR_ENV = 'NODELESS_E2E_BUNDLE_DIR';
/** Disk per host (sparse file): above the preflight's 20 GiB warning threshold. */
export const FLEET_DISK_MIB = 32 * 1024;

export function writeFleetFile(file: string, inventory: FleetInventory): void {
  writeFileSync(file, JSON.stringify(inventory), { mode: 0o600 });
}

/** The fleet for the tests, or why there is none (to skip with that reason). */
export function fleetInventory(
  fileEnv: string = FLEET_FILE_ENV,
  errorEnv: string = FLEET_ERROR_ENV,
): { fleet: FleetInventory } | { reason: string } {
  const file = process.env[fileEnv];
  if (file) return { fleet: JSON.parse(readFileSync(file, 'utf8')) as FleetInventory };
  return {
    reason:
      process.env[errorEnv] ??
      'no test-host fleet: run through e2e/playwright.config.ts (global setup brings it up)',
  };
}
