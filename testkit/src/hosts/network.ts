/**
 * Fleet networking with plain iproute2:
 *
 * ```
 * machine (root ns)  nlk<N> 10.214.N.1/30 ── veth ── uplink 10.214.N.2/30  fleet ns nlk-<prefix>
 *   route 10.213.N.0/24 via 10.214.N.2                  br0 10.213.N.1/24 ── h<i> ── eth0 10.213.N.(10+i)
 *                                                                                     host ns nlk-<host>
 * ```
 *
 * The fleet namespace forwards between its uplink and the bridge but has no default route,
 * so hosts reach each other and the machine, and nothing else.
 *
 * @see https://man7.org/linux/man-pages/man8/ip-netns.8.html
 */
import { fleetAddresses } from './paths.ts';
import type { CommandRunner } from './run.ts';

const ip = (run: CommandRunner, ...args: string[]) => run('ip', args);
const ipMaybe = (run: CommandRunner, ...args: string[]) => run('ip', args, { check: false });

export async function netnsExists(run: CommandRunner, name: string): Promise<boolean> {
  const r = await run('ip', ['netns', 'list'], { check: false });
  return r.stdout.split('\n').some((l) => l.split(' ')[0] === name);
}

/** Subnet indices in use by routes of this machine (ours or anyone's), to pick a free one. */
export async function usedSubnetIndices(run: CommandRunner): Promise<Set<number>> {
  const r = await run('ip', ['-4', 'route', 'show'], { check: false });
  const used = new Set<number>();
  for (const m of r.stdout.matchAll(/\b10\.(213|214)\.(\d+)\./g)) used.add(Number(m[2]));
  return used;
}

/** Creates the fleet namespace, bridge and uplink (idempotent). */
export async function ensureFleetNetwork(
  run: CommandRunner,
  netns: string,
  n: number,
): Promise<void> {
  const a = fleetAddresses(n);
  if (!(await netnsExists(run, netns))) await ip(run, 'netns', 'add', netns);
  await ip(run, '-n', netns, 'link', 'set', 'lo', 'up');
  await run('ip', ['netns', 'exec', netns, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
  if ((await ipMaybe(run, '-n', netns, 'link', 'show', 'br0')).code !== 0) {
    await ip(run, '-n', netns, 'link', 'add', 'br0', 'type', 'bridge');
    await ip(run, '-n', netns, 'addr', 'add', `${a.gateway}/24`, 'dev', 'br0');
  }
  await ip(run, '-n', netns, 'link', 'set', 'br0', 'up');
  if ((await ipMaybe(run, 'link', 'show', a.uplinkIf)).code !== 0) {
    await ip(
      run,
      'link',
      'add',
      a.uplinkIf,
      'type',
      'veth',
      'peer',
      'name',
      'uplink',
      'netns',
      netns,
    );
    await ip(run, 'addr', 'add', `${a.uplinkMachine}/30`, 'dev', a.uplinkIf);
    await ip(run, '-n', netns, 'addr', 'add', `${a.uplinkFleet}/30`, 'dev', 'uplink');
  }
  await ip(run, 'link', 'set', a.uplinkIf, 'up');
  await ip(run, '-n', netns, 'link', 'set', 'uplink', 'up');
  await ip(run, 'route', 'replace', a.hostCidr, 'via', a.uplinkFleet, 'dev', a.uplinkIf);
}

/** Removes the uplink (its peer goes with it), route and namespace; tolerates partial state. */
export async function removeFleetNetwork(
  run: CommandRunner,
  netns: string,
  n: number,
): Promise<void> {
  const a = fleetAddresses(n);
  await ipMaybe(run, 'route', 'del', a.hostCidr);
  await ipMaybe(run, 'link', 'del', a.uplinkIf);
  if (await netnsExists(run, netns)) await ip(run, 'netns', 'del', netns);
}

/** Fleet-side name of host `index`'s veth (the cable into the bridge). */
export function hostPort(index: number): string {
  return `h${index}`;
}

/** Creates host `index`'s own namespace, cabled to the bridge, with its address (idempotent). */
export async function ensureHostNetwork(
  run: CommandRunner,
  fleetNetns: string,
  hostNetns: string,
  n: number,
  index: number,
): Promise<void> {
  const a = fleetAddresses(n);
  const port = hostPort(index);
  if (!(await netnsExists(run, hostNetns))) await ip(run, 'netns', 'add', hostNetns);
  await ip(run, '-n', hostNetns, 'link', 'set', 'lo', 'up');
  if ((await ipMaybe(run, '-n', hostNetns, 'link', 'show', 'eth0')).code !== 0) {
    await ipMaybe(run, '-n', fleetNetns, 'link', 'del', port);
    await ip(
      run,
      '-n',
      fleetNetns,
      'link',
      'add',
      port,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      hostNetns,
    );
    await ip(run, '-n', hostNetns, 'addr', 'add', `${a.host(index)}/24`, 'dev', 'eth0');
  }
  await ip(run, '-n', fleetNetns, 'link', 'set', port, 'master', 'br0');
  await ip(run, '-n', fleetNetns, 'link', 'set', port, 'up');
  await ip(run, '-n', hostNetns, 'link', 'set', 'eth0', 'up');
  await ip(run, '-n', hostNetns, 'route', 'replace', 'default', 'via', a.gateway);
}

/** Deletes the host namespace (its veth pair goes with it). */
export async function removeHostNetwork(
  run: CommandRunner,
  fleetNetns: string,
  hostNetns: string,
  index: number,
): Promise<void> {
  if (await netnsExists(run, fleetNetns))
    await ipMaybe(run, '-n', fleetNetns, 'link', 'del', hostPort(index));
  if (await netnsExists(run, hostNetns)) await ip(run, 'netns', 'del', hostNetns);
}

/**
 * Removes namespaces a fleet of this prefix left behind without state (a checkout deleted, or
 * a machine reused after a killed run): the fleet namespace and its hosts' `nlk-<prefix>-<i>`.
 * Deleting a namespace deletes the veths in it, their peers and the routes over them, so the
 * new fleet starts from a clean slate instead of reusing a bridge with another subnet.
 */
export async function sweepStaleFleetNetwork(
  run: CommandRunner,
  fleetNetns: string,
): Promise<string[]> {
  const r = await run('ip', ['netns', 'list'], { check: false });
  const names = r.stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((n) => n === fleetNetns || new RegExp(`^${fleetNetns}-\\d+$`).test(n));
  for (const name of names) await ipMaybe(run, 'netns', 'del', name);
  return names;
}
