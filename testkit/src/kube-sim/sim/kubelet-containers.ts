/**
 * The simulated container processes behind the kubelet (`./kubelet.ts`): starting a container
 * (Created/Started events, its log banner and heartbeat), commands the simulation knows,
 * readiness once a readinessProbe's initial delay has passed, crashes restarted with
 * CrashLoopBackOff, and Job pods running to completion. Pod-level bookkeeping (admission,
 * termination, status writes, pod IPs) stays in the kubelet, reached through
 * {@link ContainerHost}.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts
 */
import type { SimTimer } from '../clock.ts';
import type { KubeObject } from '../store/types.ts';
import type { Cache } from './cache.ts';
import { simulatedCommand, type CommandRun } from './commands.ts';
import type { SimContext } from './context.ts';
import type { EventSource } from './events.ts';
import { backoffSeconds, type ContainerRun, type PodRunState } from './kubelet-status.ts';
import type { PodLogs } from './logs.ts';
import { CRASH_SENTINEL, view, type Node, type Pod, type RuntimeClass } from './model.ts';

/** One pod the kubelet runs: its containers' state plus the timers driving them. */
export interface PodRun extends PodRunState {
  uid: string;
  key: string;
  node: string;
  timers: Set<SimTimer>;
}

/** Knobs of the simulated container processes (part of the kubelet's options). */
export interface ContainerOptions {
  /** How long a crashing container runs before exiting 1. */
  crashAfterMs?: number;
  /** Heartbeat log line period. */
  logEveryMs?: number;
}

/** What the container emulation needs from the pod-level kubelet. */
export interface ContainerHost {
  readonly ctx: SimContext;
  readonly logs: PodLogs;
  readonly options: ContainerOptions;
  readonly pods: Cache;
  readonly nodes: Cache;
  readonly runtimeClasses: Cache;
  /** Writes the pod's status from `run` (with the terminal phase once it has ended). */
  writeStatus(run: PodRun, terminalPhase?: 'Succeeded' | 'Failed'): void;
  /** Ends the pod in `phase` once all its containers have stopped. */
  terminal(run: PodRun, phase: 'Succeeded' | 'Failed'): void;
}

/** The event source of the kubelet on node `host`. */
export function kubeletSource(host: string): EventSource {
  return { component: 'kubelet', host };
}

/**
 * Runs `fn` after `ms` of simulated time, unless the pod is terminating by then (and
 * `evenIfTerminating` is not set): timers of a stopping pod must not revive its containers.
 */
export function runAfter(
  ctx: SimContext,
  run: PodRun,
  ms: number,
  fn: () => void,
  evenIfTerminating = false,
): void {
  const t = ctx.clock.setTimeout(() => {
    run.timers.delete(t);
    if (run.phase === 'terminating' && !evenIfTerminating) return;
    try {
      fn();
    } catch (e) {
      ctx.error(`kubelet ${run.key}`, e);
    }
  }, ms);
  run.timers.add(t);
}

/** Cancels every pending timer of `run`. */
export function clearRunTimers(ctx: SimContext, run: PodRun): void {
  for (const t of run.timers) ctx.clock.clearTimeout(t);
  run.timers.clear();
}

/** The simulated processes of every container the kubelet runs. */
export class ContainerProcesses {
  constructor(private readonly host: ContainerHost) {}

  private get ctx(): SimContext {
    return this.host.ctx;
  }

  private get logs(): PodLogs {
    return this.host.logs;
  }

  private after(run: PodRun, ms: number, fn: () => void): void {
    runAfter(this.ctx, run, ms, fn);
  }

  /** Starts container `c` of pod `o` (again, after a crash), ready at once without a probe. */
  start(run: PodRun, o: KubeObject, c: ContainerRun, readyAtStart: boolean): void {
    const pod = view<Pod>(o);
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const now = this.ctx.clock.now();
    // A restarted container's earlier output is what `--previous` reads.
    if (c.restartCount > 0) this.logs.restarted(ns, name, c.name);
    c.phase = 'running';
    c.startedAt = now;
    c.ready = readyAtStart;
    const src = kubeletSource(run.node);
    const field = `spec.containers{${c.name}}`;
    this.ctx.events.record(o, 'Normal', 'Created', `Created container: ${c.name}`, src, field);
    this.ctx.events.record(o, 'Normal', 'Started', `Started container ${c.name}`, src, field);
    const spec = pod.spec?.containers.find((x) => x.name === c.name);
    const ran = this.knownCommand(pod, spec, run.node);
    if (ran) {
      // A known command's output is the whole log (no banner), as a real one-shot container's.
      for (const line of ran.output) this.logs.write(ns, name, c.name, line);
      this.after(run, 1, () => this.exited(run, c, ran.exitCode));
      return;
    }
    this.logs.write(
      ns,
      name,
      c.name,
      `[kube-sim] simulated container ${c.name} started from image ${c.image} on ${run.node} (no process runs)`,
    );
    for (const p of spec?.ports ?? [])
      this.logs.write(
        ns,
        name,
        c.name,
        `[kube-sim] listening on ${p.protocol ?? 'TCP'} :${p.containerPort}`,
      );
    const crashes = [c.image, ...(spec?.command ?? []), ...(spec?.args ?? [])].some((s) =>
      s.includes(CRASH_SENTINEL),
    );
    if (crashes) {
      this.logs.heartbeat(ns, name, c.name, 0);
      this.after(run, this.host.options.crashAfterMs ?? 1000, () => this.crash(run, c));
    } else {
      this.logs.heartbeat(
        ns,
        name,
        c.name,
        this.host.options.logEveryMs ?? 10_000,
        (n) => `[kube-sim] ${c.name} heartbeat ${n}: simulated workload healthy`,
      );
    }
  }

  /** The readinessProbe of running container `c` passed. */
  setReady(run: PodRun, c: ContainerRun): void {
    if (c.phase !== 'running' || c.ready) return;
    c.ready = true;
    this.host.writeStatus(run);
  }

  /** The pod's simulated work is done: every container still running exits 0. */
  complete(run: PodRun): void {
    const o = this.host.pods.get(run.key);
    if (!o || run.phase !== 'running') return;
    const pod = view<Pod>(o);
    const now = this.ctx.clock.now();
    for (const c of run.containers) {
      if (c.phase === 'terminated') continue;
      this.logs.write(
        pod.metadata?.namespace ?? '',
        pod.metadata?.name ?? '',
        c.name,
        `[kube-sim] ${c.name} finished its simulated work, exiting 0`,
      );
      c.phase = 'terminated';
      c.exitCode = 0;
      c.finishedAt = now;
      c.ready = false;
    }
    this.host.terminal(
      run,
      run.containers.some((c) => (c.exitCode ?? 0) !== 0) ? 'Failed' : 'Succeeded',
    );
  }

  /**
   * The outcome of a container running a command the simulation knows (`./commands.ts`), e.g.
   * `uname -r` reporting the sandbox's kernel. Only for pods that do not restart exited
   * containers (restartPolicy Never/OnFailure); others keep the long-running simulation.
   */
  private knownCommand(
    pod: Pod,
    spec: { command?: string[]; args?: string[] } | undefined,
    node: string,
  ): CommandRun | undefined {
    if (!spec || (pod.spec?.restartPolicy ?? 'Always') === 'Always') return undefined;
    const rcName = pod.spec?.runtimeClassName;
    const rc = rcName ? this.host.runtimeClasses.get(rcName) : undefined;
    const nodeObject = this.host.nodes.get(node);
    return simulatedCommand([...(spec.command ?? []), ...(spec.args ?? [])], {
      handler: rc ? view<RuntimeClass>(rc).handler : undefined,
      nodeKernel: nodeObject ? (view<Node>(nodeObject).status?.nodeInfo?.kernelVersion ?? '') : '',
    });
  }

  /** A container's process ended with `exitCode`; the pod ends when all its containers have. */
  private exited(run: PodRun, c: ContainerRun, exitCode: number): void {
    if (!this.host.pods.get(run.key) || run.phase !== 'running' || c.phase !== 'running') return;
    Object.assign(c, {
      phase: 'terminated',
      exitCode,
      finishedAt: this.ctx.clock.now(),
      ready: false,
    });
    if (run.containers.every((x) => x.phase === 'terminated'))
      return this.host.terminal(
        run,
        run.containers.some((x) => (x.exitCode ?? 0) !== 0) ? 'Failed' : 'Succeeded',
      );
    this.host.writeStatus(run);
  }

  private crash(run: PodRun, c: ContainerRun): void {
    const o = this.host.pods.get(run.key);
    if (!o || run.phase !== 'running' || c.phase !== 'running') return;
    const pod = view<Pod>(o);
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const now = this.ctx.clock.now();
    this.logs.write(
      ns,
      name,
      c.name,
      `[kube-sim] command contains "${CRASH_SENTINEL}": exiting with status 1`,
    );
    c.last = { exitCode: 1, reason: 'Error', startedAt: c.startedAt ?? now, finishedAt: now };
    c.ready = false;
    const policy = pod.spec?.restartPolicy ?? 'Always';
    if (policy === 'Never') {
      c.phase = 'terminated';
      c.exitCode = 1;
      c.finishedAt = now;
      c.last = undefined;
      if (run.containers.every((x) => x.phase === 'terminated'))
        return this.host.terminal(run, 'Failed');
      return this.host.writeStatus(run);
    }
    const delay = backoffSeconds(c.restartCount);
    c.phase = 'backoff';
    this.ctx.events.record(
      o,
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${c.name} in pod ${name}_${ns}(${run.uid})`,
      kubeletSource(run.node),
      `spec.containers{${c.name}}`,
    );
    this.host.writeStatus(run);
    this.after(run, delay * 1000, () => {
      const cur = this.host.pods.get(run.key);
      if (!cur || run.phase !== 'running') return;
      c.restartCount++;
      this.start(run, cur, c, !pod.spec?.containers.find((x) => x.name === c.name)?.readinessProbe);
      this.host.writeStatus(run);
    });
  }
}
