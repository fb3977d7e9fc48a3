/**
 * Stand-in `/opt/kata/bin/kata-runtime` (`check`/`kata-check`, `--version`/`version`,
 * `env` minimal) and `containerd-shim-kata-v2` (version only; it cannot start sandboxes).
 *
 * @see https://github.com/kata-containers/kata-containers/blob/main/docs/install/README.md
 */
import path from 'node:path';
import { KATA_VERSION, STAND_IN } from '../versions.ts';
import { kataCheck, realHost } from './check.ts';

export function kataVersionText(): string {
  return `kata-runtime  : ${KATA_VERSION}-${STAND_IN}\n   commit   : nodeless-testkit\n   OCI specs: 1.1.0\n`;
}

export function shimVersionText(): string {
  return `Kata Containers containerd shim (Golang): id: "io.containerd.kata.v2", version: ${KATA_VERSION}-${STAND_IN}, commit: nodeless-testkit\n`;
}

export function kataMain(argv0: string, args: string[]): number {
  const name = path.basename(argv0);
  if (name.startsWith('containerd-shim-kata')) {
    if (args.includes('--version') || args.includes('-v')) {
      process.stdout.write(shimVersionText());
      return 0;
    }
    process.stderr.write(
      `containerd-shim-kata-v2 ${STAND_IN}: sandboxes cannot be started by the stand-in\n`,
    );
    return 1;
  }
  const sub = args.find((a) => !a.startsWith('-'));
  if (args.includes('--version') || args.includes('-v') || sub === 'version') {
    process.stdout.write(kataVersionText());
    return 0;
  }
  if (sub === 'check' || sub === 'kata-check') {
    const r = kataCheck(realHost, args.includes('--verbose') || args.includes('-v'));
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    return r.code;
  }
  process.stderr.write(`kata-runtime ${STAND_IN}: usage: kata-runtime [check|--version]\n`);
  return sub === undefined ? 0 : 1;
}
