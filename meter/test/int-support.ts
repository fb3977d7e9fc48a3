/**
 * What the meter's integration tests share: the real control plane with KWOK, the finalizer's
 * admission policy switched on as the install does (cluster-runtime's meteringPolicy and
 * meterSwitch) with the meter's fence on its ConfigMap writes (meterFencePolicy), pods with
 * exact lifetimes (KWOK's per-pod stage delays), a watch that keeps the
 * last state of every test pod, the reference bill from each pod's OWN API timestamps (written
 * here independently of cluster-runtime's podLife), and the ledger read back from its chunks.
 */
import type { V1ConfigMap, V1Pod } from '@kubernetes/client-node';
import {
  chunkFromConfigMap,
  createKubeClient,
  LEDGER_LABEL,
  LEDGER_NAMESPACE,
  METER_FINALIZER,
  meterFencePolicy,
  meteringPolicy,
  meterSwitch,
  RESOURCES,
  type KubeClient,
  type LedgerRecord,
} from '@nodeless/cluster-runtime';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';

export const RUN_LABEL = 'meter-test.nodeless.dev/run';

export async function startCluster(): Promise<{ cp: ControlPlane; kube: KubeClient }> {
  const cp = await startControlPlane({ nodes: 1, metrics: false });
  return { cp, kube: createKubeClient(cp.kubeconfig) };
}

/**
 * The fence and the policy, then the switch (as the install does once a meter leads); waits
 * until the finalizer bites (the fence is applied first, so it is in force by then too).
 */
export async function enableFinalizer(kube: KubeClient, namespace: string): Promise<void> {
  for (const o of [...meterFencePolicy(), ...meteringPolicy()]) await kube.apply(o);
  await kube.apply(meterSwitch());
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const probe = await kube.apply<V1Pod>(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'finalizer-probe', namespace },
        spec: { containers: [{ name: 'c', image: 'registry.invalid/probe:1' }] },
      },
      { dryRun: true },
    );
    if ((probe.metadata?.finalizers ?? []).includes(METER_FINALIZER)) return;
    if (Date.now() > deadline) throw new Error('the metering finalizer policy never took effect');
    await sleep(500);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A bare pod that runs `lifeSeconds` then succeeds (KWOK's pod-exit delay). */
export function testPod(namespace: string, name: string, run: string, lifeSeconds: number): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { [RUN_LABEL]: run },
      annotations: { 'pod-exit.stage.kwok.x-k8s.io/delay': `${lifeSeconds}s` },
    },
    spec: {
      restartPolicy: 'Never',
      // Deleted mid-run: containers stop 1 s after the delete (KWOK's pod-stop stage).
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'c',
          image: 'registry.invalid/app:1',
          resources: { requests: { cpu: '500m', memory: '1Gi' } },
        },
      ],
    },
  };
}

/** Keeps the last state (and the first sandbox start) of every pod of a run. */
export class Observer {
  readonly last = new Map<string, V1Pod>();
  readonly started = new Map<string, number>();
  private stopWatch: (() => void) | undefined;
  private stopped = false;
  /** Set when the watch ended before stop(): the reference would have holes. */
  endedEarly: unknown;

  static async start(kube: KubeClient, run: string): Promise<Observer> {
    const o = new Observer();
    const labelSelector = `${RUN_LABEL}=${run}`;
    const list = await kube.list<V1Pod>(RESOURCES.pods, { labelSelector });
    for (const p of list.items) o.see(p);
    o.stopWatch = await kube.watch<V1Pod>(
      RESOURCES.pods,
      { labelSelector, resourceVersion: list.resourceVersion },
      (type, p) => {
        if (type !== 'BOOKMARK' && type !== 'ERROR') o.see(p);
      },
      (e) => {
        if (!o.stopped) o.endedEarly = e ?? new Error('the watch ended');
      },
    );
    return o;
  }

  private see(p: V1Pod): void {
    const uid = p.metadata?.uid ?? '';
    this.last.set(uid, p);
    const c = (p.status?.conditions ?? []).find((x) => x.type === 'PodReadyToStartContainers');
    if (c?.status === 'True' && c.lastTransitionTime && !this.started.has(uid))
      this.started.set(uid, Date.parse(String(c.lastTransitionTime)) / 1000);
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
  }

  /**
   * Seconds each pod lived by its own timestamps: the sandbox's start (PodReadyToStartContainers
   * turning True, as this watch saw it live) → the latest container finishedAt. Only pods whose
   * sandbox came up. A meter that was down while a pod lived must bill the same (the pod keeps
   * its sandbox's start in condition nodeless.dev/sandbox-started).
   */
  reference(): Map<string, { name: string; seconds: number }> {
    if (this.endedEarly)
      throw new Error(`the test's pod watch ended early: ${String(this.endedEarly)}`);
    const out = new Map<string, { name: string; seconds: number }>();
    for (const [uid, p] of this.last) {
      const start = this.started.get(uid);
      if (start === undefined) continue;
      const statuses = p.status?.containerStatuses ?? [];
      const ends = statuses.map((c) => Date.parse(String(c.state?.terminated?.finishedAt ?? '')));
      if (ends.length === 0 || ends.some((e) => !Number.isFinite(e)))
        throw new Error(`pod ${p.metadata?.name ?? uid} has not ended`);
      const end = Math.max(...ends) / 1000;
      out.set(uid, { name: p.metadata?.name ?? '', seconds: end - start });
    }
    return out;
  }

  /** Every pod of the run ended and no longer carries the meter's finalizer (or is gone). */
  allReleased(): boolean {
    for (const p of this.last.values()) {
      if ((p.metadata?.finalizers ?? []).includes(METER_FINALIZER)) return false;
      const phase = p.status?.phase;
      if (phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata?.deletionTimestamp)
        return false;
    }
    return true;
  }
}

/** Every record in the ledger's chunks. */
export async function ledgerRecords(kube: KubeClient): Promise<LedgerRecord[]> {
  const list = await kube.list<V1ConfigMap>(RESOURCES.configMaps, {
    namespace: LEDGER_NAMESPACE,
    labelSelector: `${LEDGER_LABEL}=records`,
  });
  return list.items.flatMap((cm) => chunkFromConfigMap(cm).records);
}

/**
 * Compares the ledger with the reference: per pod, records keyed (uid, segment) at most once
 * across all chunks, exactly one final record, and seconds equal to the reference. Returns the
 * problems (empty = exact).
 */
export function compare(
  records: readonly LedgerRecord[],
  reference: Map<string, { name: string; seconds: number }>,
): string[] {
  const problems: string[] = [];
  const keys = new Map<string, number>();
  for (const r of records)
    keys.set(`${r.uid}/${r.segment}`, (keys.get(`${r.uid}/${r.segment}`) ?? 0) + 1);
  for (const [k, n] of keys) if (n > 1) problems.push(`${k} written ${n} times`);
  for (const [uid, ref] of reference) {
    const mine = records.filter((r) => r.uid === uid);
    if (mine.length === 0) {
      problems.push(`${ref.name}: missing`);
      continue;
    }
    const seconds = mine.reduce((s, r) => s + r.to - r.from, 0);
    if (seconds !== ref.seconds) {
      const span = mine.map((r) => `[${r.podStart}: ${r.from}→${r.to}]`).join(' ');
      problems.push(`${ref.name}: billed ${seconds} s ${span}, lived ${ref.seconds} s`);
    }
    const finals = mine.filter((r) => r.final).length;
    if (finals !== 1) problems.push(`${ref.name}: ${finals} final records`);
  }
  return problems;
}

export async function until(what: string, fn: () => boolean | Promise<boolean>, ms: number) {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}
