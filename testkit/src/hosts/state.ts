/**
 * The fleet's persistent record (`<cache>/fleets/<prefix>/state.json`) and the inventory
 * printed by `hosts up`. The state outlives the CLI so `down`, `list` and faults find what
 * `up` made.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** One login account of a test host. */
export interface AccountInventory {
  readonly user: string;
  /** Private key (OpenSSH format, no passphrase, mode 0600). */
  readonly keyPath: string;
}

/** `ops` can sudo only with its password. */
export interface OpsAccountInventory extends AccountInventory {
  readonly sudoPassword: string;
}

/** What a test (or the SSH engine) needs to reach one host. */
export interface HostInventory {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  /** OpenSSH form, e.g. `SHA256:2n0…`; the host has a single ed25519 host key. */
  readonly hostKeySha256: string;
  /** The host key as a known_hosts key field (`ssh-ed25519 AAAA…`). */
  readonly hostPublicKey: string;
  readonly accounts: {
    /** Key only: sshd refuses passwords for root. */
    readonly root: AccountInventory;
    /** Key, passwordless sudo. */
    readonly admin: AccountInventory;
    /** Key (or password over SSH), sudo that asks for `sudoPassword`. */
    readonly ops: OpsAccountInventory;
  };
}

/** The JSON `hosts up` prints on stdout. */
export interface FleetInventory {
  readonly prefix: string;
  /** known_hosts lines of every host of the fleet (current keys). */
  readonly knownHostsPath: string;
  readonly hosts: readonly HostInventory[];
}

/** Persistent record of one host. */
export interface HostState {
  readonly name: string;
  readonly index: number;
  readonly address: string;
  readonly netns: string;
  readonly dir: string;
  /** Current host key fingerprint (changes with regenerateHostKey). */
  hostKeySha256: string;
  hostPublicKey: string;
}

/** Persistent record of one fleet. */
export interface FleetState {
  readonly prefix: string;
  /** N of 10.213.N.0/24. */
  readonly subnetIndex: number;
  readonly rootfs: string;
  readonly diskMiB: number;
  /** The fleet's ops password (stored only here and in the inventory, both mode 0600). */
  readonly opsPassword: string;
  readonly hosts: HostState[];
}

export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Atomic write (temp + rename), mode 0600 because the state carries a password. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  await fs.rename(tmp, file);
}
