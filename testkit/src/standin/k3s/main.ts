/**
 * Entry of the stand-in `k3s` binary (bundled into one file by `testkit/src/bundle`).
 * Subcommands: `server`, `agent`, `--version`/`-v`/`version`, `check-config`, `kubectl`.
 *
 * @see https://docs.k3s.io/cli
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { log } from '../log.ts';
import { CONTAINERD_VERSION, K3S_VERSION, STAND_IN } from '../versions.ts';
import { runAgent } from './agent.ts';
import { BIN_DIR_ENV } from './apiserver.ts';
import { FatalJoinError } from './join.ts';
import { runServer } from './server.ts';
import { DEFAULT_KUBECONFIG } from './files.ts';

export function versionText(): string {
  return `k3s version ${K3S_VERSION}-${STAND_IN} (nodeless testkit)\ngo version none (node ${process.version}, ${STAND_IN})\n`;
}

/**
 * `k3s check-config`, reduced to what can be checked from user space: cgroups, and the
 * kernel features k3s needs as seen in /proc. Ends with `STATUS: pass|fail` like upstream.
 * @see https://docs.k3s.io/cli (check-config)
 */
export function checkConfig(
  read = (p: string) => fs.readFileSync(p, 'utf8'),
  exists = fs.existsSync,
): { text: string; ok: boolean } {
  const lines = [
    'Verifying binaries in /var/lib/rancher/k3s/data/current/bin:',
    '- sha256sum: stand-in (no bundled userspace)',
    '',
    'System:',
  ];
  let ok = true;
  const v2 = exists('/sys/fs/cgroup/cgroup.controllers');
  const v1 = exists('/sys/fs/cgroup/memory') || exists('/sys/fs/cgroup/cpu');
  lines.push(
    `- cgroup hierarchy: ${v2 ? 'cgroups V2 mounted, cpu|cpuset|memory controllers status: good' : v1 ? 'cgroups V1 mounted' : 'missing'}`,
  );
  if (!v2 && !v1) ok = false;
  const filesystems = (() => {
    try {
      return read('/proc/filesystems');
    } catch {
      return '';
    }
  })();
  lines.push(`- overlay filesystem: ${filesystems.includes('overlay') ? 'enabled' : 'missing'}`);
  lines.push(`- containerd: ${CONTAINERD_VERSION} (${STAND_IN}: not running containers)`);
  lines.push('', `STATUS: ${ok ? 'pass' : 'fail'}`);
  return { text: lines.join('\n') + '\n', ok };
}

/** `k3s kubectl …`: delegates to the host's kubectl with KUBECONFIG defaulting to k3s.yaml. */
function kubectl(args: string[]): number {
  // k3s embeds kubectl; so does the stand-in when its bundle carries the control plane.
  const embedded = process.env[BIN_DIR_ENV] ? `${process.env[BIN_DIR_ENV]}/kubectl` : '';
  const bin = [embedded, '/usr/local/bin/kubectl', '/usr/bin/kubectl'].find(
    (p) => p && fs.existsSync(p),
  );
  if (!bin) {
    process.stderr.write(
      `k3s kubectl (${STAND_IN}): no kubectl on this host; the stand-in does not embed one\n`,
    );
    return 1;
  }
  const env = { ...process.env, KUBECONFIG: process.env['KUBECONFIG'] ?? DEFAULT_KUBECONFIG };
  return spawnSync(bin, args, { stdio: 'inherit', env }).status ?? 1;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case '--version':
    case '-v':
    case 'version':
      process.stdout.write(versionText());
      return 0;
    case 'server':
      await runServer(rest);
      return 0;
    case 'agent':
      await runAgent(rest);
      return 0;
    case 'check-config': {
      const r = checkConfig();
      process.stdout.write(r.text);
      return r.ok ? 0 : 1;
    }
    case 'kubectl':
      return kubectl(rest);
    default:
      process.stderr.write(
        `k3s ${STAND_IN}: usage: k3s [server|agent|check-config|kubectl|--version] [flags]\n`,
      );
      return cmd === undefined || cmd === '--help' || cmd === '-h' ? 0 : 1;
  }
}

/** Process entry: exit codes and fatal lines like k3s. */
export function run(): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      log(
        'fatal',
        `Error: ${e instanceof Error ? e.message : String(e)}`,
        e instanceof FatalJoinError ? {} : {},
      );
      process.exit(1);
    },
  );
}
