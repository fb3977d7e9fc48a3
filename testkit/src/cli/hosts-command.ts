/**
 * `npm run testkit -- hosts …`: fleets of test hosts and their faults. Only wiring: the
 * work is in `../hosts/`. Stdout carries JSON only; progress goes to stderr.
 */
import type { Command } from 'commander';
import { downFleet, listFleets, loadFleet, upFleet } from '../hosts/index.ts';
import type { TestHost } from '../hosts/index.ts';

const FAULTS: Record<string, (h: TestHost, arg: string | undefined) => Promise<unknown>> = {
  'cut-network': (h) => h.cutNetwork(),
  'restore-network': (h) => h.restoreNetwork(),
  'drop-packets': (h, a) => h.dropPackets(Number(a ?? '30')),
  'power-off': (h) => h.powerOff(),
  boot: (h) => h.boot(),
  'restart-sshd': (h) => h.restartSshd(),
  'regenerate-host-key': async (h) => ({ hostKeySha256: await h.regenerateHostKey() }),
  'restore-host-key': async (h) => ({ hostKeySha256: await h.restoreHostKey() }),
  'fill-disk': (h, a) => h.fillDisk(Number(a ?? '100')),
  'free-disk': (h) => h.freeDisk(),
  'hold-dpkg-lock': (h) => h.holdDpkgLock(),
  'release-dpkg-lock': (h) => h.releaseDpkgLock(),
  'occupy-port': (h, a) => h.occupyPort(Number(a ?? '6443')),
  'release-port': (h, a) => h.releasePort(Number(a ?? '6443')),
  // The new password comes on stdin, never in argv.
  'set-ops-password': async (h) => h.setOpsSudoPassword((await readStdin()).replace(/\r?\n$/, '')),
  'restore-ops-password': (h) => h.restoreOpsSudoPassword(),
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) throw new Error('set-ops-password reads the new password from stdin');
  return text;
}

const print = (value: unknown) => process.stdout.write(JSON.stringify(value, null, 2) + '\n');

/** Registers `hosts up|down|list|inventory|exec|fault`. */
export function register(program: Command): void {
  const hosts = program
    .command('hosts')
    .description('Fleets of Debian 12 test hosts (systemd-nspawn) and faults');

  hosts
    .command('up <count>')
    .description('create/boot <count> hosts (idempotent); prints the JSON inventory')
    .option('--name <prefix>', 'fleet prefix: hosts are <prefix>-1..n', 'th')
    .option('--disk-mib <mib>', 'disk size of each new host', '4096')
    .action(async (count: string, opts: { name: string; diskMib: string }) => {
      const started = Date.now();
      const fleet = await upFleet({
        count: Number(count),
        prefix: opts.name,
        diskMiB: Number(opts.diskMib),
      });
      process.stderr.write(
        `[testkit hosts] fleet ${fleet.prefix} up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
      print(fleet.inventory());
    });

  hosts
    .command('down')
    .description('stop and remove a fleet (containers, namespaces, veths, mounts, files)')
    .option('--name <prefix>', 'fleet prefix', 'th')
    .option('--all', 'every fleet on this machine')
    .action(async (opts: { name: string; all?: boolean }) => {
      const prefixes = opts.all ? (await listFleets()).map((f) => f.prefix) : [opts.name];
      for (const prefix of prefixes) await downFleet({ prefix });
      print({ removed: prefixes });
    });

  hosts
    .command('list')
    .description('fleets and hosts on this machine, running or not')
    .action(async () => {
      print(await listFleets());
    });

  hosts
    .command('inventory')
    .description('print the inventory of an existing fleet')
    .option('--name <prefix>', 'fleet prefix', 'th')
    .action(async (opts: { name: string }) => {
      const fleet = await loadFleet({ prefix: opts.name });
      if (!fleet) throw new Error(`no fleet ${opts.name}`);
      print(fleet.inventory());
    });

  hosts
    .command('exec <host> <command...>')
    .description('run a command as root inside a host (nsenter, no SSH); use -- before the command')
    .action(async (name: string, command: string[]) => {
      const r = await (await findHost(name)).exec(command, { check: false });
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      process.exitCode = r.code;
    });

  hosts
    .command('fault <host> <fault> [arg]')
    .description(`inject or revert a fault: ${Object.keys(FAULTS).join(', ')}`)
    .action(async (name: string, fault: string, arg: string | undefined) => {
      const fn = FAULTS[fault];
      if (!fn)
        throw new Error(`unknown fault "${fault}"; one of: ${Object.keys(FAULTS).join(', ')}`);
      const result = await fn(await findHost(name), arg);
      print({
        host: name,
        fault,
        ...(typeof result === 'object' && result !== null ? result : {}),
      });
    });
}

/** Host `<prefix>-<i>` belongs to fleet `<prefix>`. */
async function findHost(name: string): Promise<TestHost> {
  const prefix = name.replace(/-\d+$/, '');
  const fleet = await loadFleet({ prefix });
  if (!fleet) throw new Error(`no fleet ${prefix} (host names are <prefix>-<n>)`);
  return fleet.host(name);
}
