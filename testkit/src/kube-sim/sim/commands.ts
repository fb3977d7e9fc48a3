/**
 * The few container commands the simulated kubelet actually "runs" (every other container is a
 * long-running simulated process). Kept tiny on purpose: just what product smoke tests need to
 * observe a sandbox from inside a pod.
 *
 * `uname -r` prints the kernel the container sees, which depends on the pod's RuntimeClass
 * handler: a Kata microVM boots its own guest kernel, gVisor's Sentry reports a fixed Linux
 * version (4.4.0) to applications, and an unsandboxed (runc) container shares the node's kernel.
 *
 * @see https://github.com/kata-containers/kata-containers/blob/main/docs/design/architecture/README.md
 * @see https://gvisor.dev/docs/architecture_guide/ (the Sentry implements its own uname)
 * @see https://github.com/google/gvisor/blob/master/pkg/sentry/kernel/version.go
 */

/** The guest kernel a simulated Kata sandbox reports (differs from every sim node's kernel). */
export const SIM_KATA_GUEST_KERNEL = '6.12.13-nodeless-sim-guest';
/** The Linux release gVisor presents to applications. */
export const GVISOR_REPORTED_KERNEL = '4.4.0';

/** argv[0] of every command {@link simulatedCommand} knows (KWOK's stages complete these). */
export const SIMULATED_COMMAND_NAMES: readonly string[] = ['uname'];

export interface CommandRun {
  /** Lines the command writes to stdout (the container's log). */
  output: string[];
  exitCode: number;
}

export interface CommandEnvironment {
  /** The RuntimeClass handler of the pod (undefined: the node's default runtime, runc-like). */
  handler: string | undefined;
  /** `status.nodeInfo.kernelVersion` of the node the pod runs on. */
  nodeKernel: string;
}

/** The kernel release a container sees under `handler`. */
export function kernelSeenBy(handler: string | undefined, nodeKernel: string): string {
  if (handler?.startsWith('kata') === true) return SIM_KATA_GUEST_KERNEL;
  if (handler === 'runsc' || handler === 'gvisor') return GVISOR_REPORTED_KERNEL;
  return nodeKernel;
}

/**
 * The outcome of a container whose argv (command followed by args) is one the simulation knows;
 * undefined for every other container (simulated as a long-running process).
 */
export function simulatedCommand(
  argv: readonly string[],
  env: CommandEnvironment,
): CommandRun | undefined {
  if (argv.length === 2 && argv[0] === 'uname' && argv[1] === '-r')
    return { output: [kernelSeenBy(env.handler, env.nodeKernel)], exitCode: 0 };
  return undefined;
}
