/**
 * Stand-in gVisor `runsc` and `containerd-shim-runsc-v1` (one script, two names, dispatching
 * on argv[1]'s basename, like the Kata stand-in). What it does honestly:
 * - `runsc --version` / `runsc -version`: upstream's two lines, version tagged STAND-IN;
 * - `runsc help` and no arguments: usage, exit 0;
 * - sandbox commands (`run`, `create`, `start`, `do`, `exec`, …): refuse with exit 1 — the
 *   stand-in cannot start sandboxes (kube-sim simulates the pods); with `--platform=kvm`
 *   it first reports what upstream's KVM platform reports when /dev/kvm cannot be opened;
 * - `containerd-shim-runsc-v1 -v`: its version block; anything else: refuse, exit 1.
 *
 * @see https://gvisor.dev/docs/user_guide/install/
 * @see https://gvisor.dev/docs/user_guide/containerd/quick_start/
 * @see https://gvisor.dev/docs/architecture_guide/platforms/ — systrap (default) needs no KVM
 */
import path from 'node:path';
import { GVISOR_VERSION, OCI_SPEC_VERSION, STAND_IN } from '../versions.ts';

/** What `runsc --version` prints. */
export function runscVersionText(): string {
  return `runsc version ${GVISOR_VERSION}-${STAND_IN}\nspec: ${OCI_SPEC_VERSION}\n`;
}

/** What `containerd-shim-runsc-v1 -v` prints. */
export function shimVersionText(): string {
  return `containerd-shim-runsc-v1:\n  Version: ${GVISOR_VERSION}-${STAND_IN}\n  Spec: ${OCI_SPEC_VERSION}\n`;
}

const SANDBOX_COMMANDS = new Set([
  'run',
  'create',
  'start',
  'do',
  'exec',
  'restore',
  'checkpoint',
  'boot',
  'gofer',
]);

/** Effects, injected so the behaviour is testable on any machine. */
export interface RunscEnv {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Undefined when /dev/kvm opens read-write, else the error text. */
  readonly openKvm: () => string | undefined;
}

export function runscMain(argv0: string, args: readonly string[], env: RunscEnv): number {
  const name = path.basename(argv0);
  if (name.startsWith('containerd-shim-runsc')) {
    if (args.includes('-v') || args.includes('--version') || args.includes('-version')) {
      env.out(shimVersionText());
      return 0;
    }
    env.err(`${name} ${STAND_IN}: sandboxes cannot be started by the stand-in\n`);
    return 1;
  }
  if (args.includes('--version') || args.includes('-version')) {
    env.out(runscVersionText());
    return 0;
  }
  const sub = args.find((a) => !a.startsWith('-'));
  if (sub === undefined || sub === 'help') {
    env.out(
      `Usage: runsc <flags> <subcommand> <subcommand args>\n(${GVISOR_VERSION}-${STAND_IN}: version and help only)\n`,
    );
    return 0;
  }
  if (SANDBOX_COMMANDS.has(sub)) {
    const platform = args.find((a) => a.startsWith('--platform='))?.slice('--platform='.length);
    if (platform === 'kvm') {
      const kvm = env.openKvm();
      if (kvm !== undefined) {
        env.err(`creating container: cannot create sandbox: opening /dev/kvm: ${kvm}\n`);
        return 128;
      }
    }
    env.err(`runsc ${STAND_IN}: "${sub}" cannot start sandboxes (pods are simulated)\n`);
    return 1;
  }
  env.err(`runsc: unknown subcommand "${sub}"\n`);
  return 2;
}
