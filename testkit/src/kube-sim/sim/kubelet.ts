/**
 * The sandbox "kubelet" of every simulated node (one component for all of them): walks bound
 * pods through Pending/ContainerCreating (a sampled sandbox start latency) → Running, sets
 * readiness per readinessProbe, restarts crashing containers with CrashLoopBackOff, runs Job pods
 * to completion, writes container logs, and deletes terminating pods once their containers have
 * stopped. Pods bound to a node that disappears are force-deleted, as the pod GC controller does.
 * The containers' simulated processes (logs, crashes, known commands) are in
 * `./kubelet-containers.ts`.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/kubelet.go
 */
import type { KubeObject } from '../store/types.ts';
import type { Cache } from './cache.ts';
import { deleteQuietly, type SimContext } from './context.ts';
import {
  ContainerProcesses,
  clearRunTimers,
  kubeletSource,
  runAfter,
  type ContainerOptions,
  type PodRun,
} from './kubelet-containers.ts';
import { podStatus } from './kubelet-status.ts';
import { PodIps } from './pod-ips.ts';
import type { PodLogs } from './logs.ts';
import {
  DURATION_ANNOTATION,
  R,
  SIMULATED_LABEL,
  SIMULATED_KUBELET_ANNOTATION,
  clone,
  controllerOf,
  keyOf,
  raw,
  view,
  type Node,
  type Pod,
} from './model.ts';
import { isDeleting, isTerminal } from './pods.ts';
import { fnv32a, logNormal } from './prng.ts';

/** Options of the simulated kubelet. */
export interface KubeletOptions extends ContainerOptions {
  sandboxStartMs: { p50: number; p99: number };
  jobDurationMs: number;
}

/** The kubelet of every simulated node; runs from construction until the context stops. */
export class Kubelet {
  private readonly runs = new Map<string, PodRun>();
  private readonly ips: PodIps;
  private readonly images = new Map<string, Set<string>>();
  private readonly sample: () => number;
  private readonly pods: Cache;
  private readonly nodes: Cache;
  private readonly containers: ContainerProcesses;

  constructor(
    private readonly ctx: SimContext,
    private readonly logs: PodLogs,
    private readonly options: KubeletOptions,
  ) {
    this.sample = logNormal(options.sandboxStartMs.p50, options.sandboxStartMs.p99, ctx.random);
    this.pods = ctx.cache(R.pods);
    this.nodes = ctx.cache(R.nodes);
    const runtimeClasses = ctx.cache(R.runtimeClasses);
    this.ips = new PodIps(this.nodes);
    this.containers = new ContainerProcesses({
      ctx,
      logs,
      options,
      pods: this.pods,
      nodes: this.nodes,
      runtimeClasses,
      writeStatus: (run, terminalPhase) => this.writeStatus(run, terminalPhase),
      terminal: (run, phase) => this.terminal(run, phase),
    });
    this.pods.on((type, o) => this.onPod(type, o));
    this.nodes.on((type, o) => {
      if (type === 'DELETED') this.nodeGone(o.metadata.name ?? '');
      else
        for (const p of this.pods.all())
          if (view<Pod>(p).spec?.nodeName === o.metadata.name) this.onPod('MODIFIED', p);
    });
    for (const p of this.pods.all()) this.onPod('ADDED', p);
    ctx.onStop(() => {
      for (const r of this.runs.values()) this.clearTimers(r);
    });
  }

  private managed(nodeName: string | undefined): boolean {
    const n = nodeName ? this.nodes.get(nodeName) : undefined;
    return (
      n?.metadata.labels?.[SIMULATED_LABEL] === 'true' ||
      n?.metadata.annotations?.[SIMULATED_KUBELET_ANNOTATION] === 'simulated'
    );
  }

  private onPod(type: string, o: KubeObject): void {
    const pod = view<Pod>(o);
    const uid = pod.metadata?.uid ?? '';
    const run = this.runs.get(uid);
    if (type === 'DELETED') {
      if (run) this.finish(run);
      this.logs.forget(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
      return;
    }
    if (!this.managed(pod.spec?.nodeName)) return;
    if (isDeleting(pod)) return this.terminate(o, run);
    if (!run && !isTerminal(pod)) this.start(o);
  }

  private nodeGone(node: string): void {
    for (const run of [...this.runs.values()]) {
      if (run.node !== node) continue;
      const o = this.pods.get(run.key);
      this.finish(run);
      if (o)
        deleteQuietly(this.ctx.store, R.pods, o, {
          gracePeriodSeconds: 0,
          preconditions: { uid: run.uid },
        });
    }
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  private start(o: KubeObject): void {
    const pod = view<Pod>(o);
    const node = pod.spec?.nodeName ?? '';
    const uid = pod.metadata?.uid ?? '';
    const now = this.ctx.clock.now();
    const run: PodRun = {
      uid,
      key: keyOf(pod),
      node,
      phase: 'creating',
      timers: new Set(),
      startTime: now,
      containers: (pod.spec?.containers ?? []).map((c, i) => ({
        name: c.name,
        image: c.image ?? '',
        phase: 'creating',
        ready: false,
        restartCount: 0,
        containerID: `containerd://${(fnv32a(`${uid}/${i}`) >>> 0).toString(16).padStart(8, '0')}${uid.replace(/-/g, '').slice(0, 56)}`,
      })),
    };
    this.runs.set(uid, run);
    run.ip = this.ips.allocate(node);
    const images = this.images.get(node) ?? new Set<string>();
    this.images.set(node, images);
    for (const c of pod.spec?.containers ?? []) {
      if (!images.has(c.image ?? ''))
        this.ctx.events.record(
          o,
          'Normal',
          'Pulling',
          `Pulling image "${c.image}"`,
          kubeletSource(node),
          `spec.containers{${c.name}}`,
        );
    }
    this.writeStatus(run);
    this.after(run, Math.max(1, this.sample()), () => this.running(run));
  }

  private running(run: PodRun): void {
    const o = this.pods.get(run.key);
    if (!o || run.phase !== 'creating') return;
    const pod = view<Pod>(o);
    run.phase = 'running';
    const now = this.ctx.clock.now();
    const images = this.images.get(run.node) ?? new Set<string>();
    const src = kubeletSource(run.node);
    for (const spec of pod.spec?.containers ?? []) {
      const c = run.containers.find((x) => x.name === spec.name);
      if (!c) continue;
      const field = `spec.containers{${c.name}}`;
      if (images.has(c.image))
        this.ctx.events.record(
          o,
          'Normal',
          'Pulled',
          `Container image "${c.image}" already present on machine`,
          src,
          field,
        );
      else {
        const ms = Math.round(now - run.startTime);
        this.ctx.events.record(
          o,
          'Normal',
          'Pulled',
          `Successfully pulled image "${c.image}" in ${ms}ms (${ms}ms including waiting). Image size: 0 bytes.`,
          src,
          field,
        );
        images.add(c.image);
      }
      this.containers.start(run, o, c, !spec.readinessProbe);
      const probe = spec.readinessProbe;
      if (probe)
        this.after(run, (probe.initialDelaySeconds ?? 0) * 1000 + 1, () =>
          this.containers.setReady(run, c),
        );
    }
    this.writeStatus(run);
    const isJob = controllerOf(pod)?.kind === 'Job';
    const custom = Number(pod.metadata?.annotations?.[DURATION_ANNOTATION]);
    if (isJob || Number.isFinite(custom))
      this.after(run, Number.isFinite(custom) ? custom : this.options.jobDurationMs, () =>
        this.containers.complete(run),
      );
  }

  private terminal(run: PodRun, phase: 'Succeeded' | 'Failed'): void {
    this.clearTimers(run);
    run.phase = 'done';
    const [ns, name] = splitNs(run.key);
    for (const c of run.containers) {
      if (c.phase !== 'terminated')
        Object.assign(c, {
          phase: 'terminated',
          exitCode: 137,
          finishedAt: this.ctx.clock.now(),
          ready: false,
        });
      this.logs.heartbeat(ns, name, c.name, 0);
    }
    this.writeStatus(run, phase);
    this.ips.release(run);
  }

  private terminate(o: KubeObject, run: PodRun | undefined): void {
    if (run?.phase === 'terminating') return;
    const pod = view<Pod>(o);
    const uid = pod.metadata?.uid ?? '';
    if (!run || run.phase === 'done' || isTerminal(pod)) {
      if (run) this.finish(run);
      deleteQuietly(this.ctx.store, R.pods, o, { gracePeriodSeconds: 0, preconditions: { uid } });
      return;
    }
    this.clearTimers(run);
    run.phase = 'terminating';
    for (const c of run.containers)
      if (c.phase === 'running')
        this.ctx.events.record(
          o,
          'Normal',
          'Killing',
          `Stopping container ${c.name}`,
          kubeletSource(run.node),
          `spec.containers{${c.name}}`,
        );
    // Simulated processes exit promptly on SIGTERM; the grace period is only an upper bound.
    const grace =
      (pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) *
      1000;
    const exitMs = Math.min(grace, 100 + this.ctx.random.next() * 400);
    this.after(
      run,
      exitMs,
      () => {
        this.finish(run);
        const cur = this.pods.get(run.key);
        if (cur && cur.metadata.uid === uid)
          deleteQuietly(this.ctx.store, R.pods, cur, {
            gracePeriodSeconds: 0,
            preconditions: { uid },
          });
      },
      true,
    );
  }

  private finish(run: PodRun): void {
    this.clearTimers(run);
    this.ips.release(run);
    this.runs.delete(run.uid);
  }

  // ---- status -------------------------------------------------------------------------------

  private writeStatus(run: PodRun, terminalPhase?: 'Succeeded' | 'Failed'): void {
    const o = this.ctx.store.get(R.pods, ...splitNs(run.key));
    if (!o || o.metadata.uid !== run.uid) return;
    const pod = view<Pod>(clone(o));
    const node = this.nodes.get(run.node);
    const hostIP = view<Node>(node ?? o).status?.addresses?.find(
      (a) => a.type === 'InternalIP',
    )?.address;
    pod.status = podStatus(pod, run, { hostIP, now: this.ctx.clock.now(), terminalPhase });
    this.pods.assume(this.ctx.store.update(R.pods, raw(pod), { subresource: 'status' }));
  }

  // ---- helpers ------------------------------------------------------------------------------

  private after(run: PodRun, ms: number, fn: () => void, evenIfTerminating = false): void {
    runAfter(this.ctx, run, ms, fn, evenIfTerminating);
  }

  private clearTimers(run: PodRun): void {
    clearRunTimers(this.ctx, run);
  }
}

function splitNs(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
