/**
 * Bootstrap phase 12, the smoke test (DESIGN.md §4): a pod under the chosen sandbox's
 * RuntimeClass runs `uname -r` to completion. In microVM mode the kernel it reports must differ
 * from the host's (proof the pod ran in a VM); in gVisor mode the kernel gVisor presents is
 * reported. Failures carry the pod's events (FailedScheduling, sandbox errors) and a remedy.
 *
 * Idempotent: the pod has a fixed name in `nodeless-system` and a stale one is deleted first;
 * a passing run is recorded in a ConfigMap, so a re-run of a finished plan changes nothing.
 *
 * @see https://kubernetes.io/docs/concepts/containers/runtime-class/#usage
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-phase
 */
import type { CoreV1Event, V1ConfigMap, V1Node, V1Pod } from '@kubernetes/client-node';
import { MANAGED_BY, SYSTEM_NAMESPACE, systemNamespace } from '../baseline/objects.ts';
import type { Sandbox } from '../baseline/runtime-classes.ts';
import { createKubeClient, RESOURCES, WaitTimeoutError, type KubeClient } from '../client.ts';
import type { CheckResult, StepContext } from '@nodeless/common';
import type { ClusterStep } from '../steps/types.ts';
import {
  formatEvents,
  judgeKernel,
  lastLine,
  remedyFor,
  SMOKE_CONTAINER,
  SMOKE_POD_NAME,
  SMOKE_RESULT_NAME,
  smokeTestPod,
} from './smoke-pod.ts';

export interface SmokeTestOptions {
  /** The admin kubeconfig; called when the step runs. */
  kubeconfig(): string;
  sandbox: Sandbox;
  /** Kernel releases of the hosts (from their facts); the pod's must differ in microVM mode. */
  hostKernels(): readonly string[];
  image?: string;
  /** How long the pod may take to finish (default 180 s: image pull plus VM boot). */
  timeoutMs?: number;
  client?: (kubeconfig: string) => KubeClient;
  now?: () => Date;
}

/** A failed smoke test: what happened, the pod's events, and what to do. */
export class SmokeTestError extends Error {
  constructor(
    message: string,
    readonly events: readonly string[],
    readonly remedy: string,
  ) {
    super(
      `${message}${events.length ? `\nPod events:\n  ${events.join('\n  ')}` : ''}\nWhat to do: ${remedy}`,
    );
    this.name = 'SmokeTestError';
  }
}

const byName = `metadata.name=${SMOKE_POD_NAME}`;

async function podEvents(client: KubeClient, uid: string, signal: AbortSignal): Promise<string[]> {
  const { items } = await client.list<CoreV1Event>(RESOURCES.events, {
    namespace: SYSTEM_NAMESPACE,
    fieldSelector: `involvedObject.name=${SMOKE_POD_NAME}`,
    signal,
  });
  return formatEvents(items.filter((e) => e.involvedObject.uid === uid));
}

/** Deletes the smoke pod (if any) and waits until it is gone. */
async function removePod(client: KubeClient, signal: AbortSignal): Promise<boolean> {
  const existed = await client.delete(RESOURCES.pods, SMOKE_POD_NAME, SYSTEM_NAMESPACE, {
    gracePeriodSeconds: 0,
    signal,
  });
  if (!existed) return false;
  await client.waitFor<V1Pod, true>(RESOURCES.pods, {
    namespace: SYSTEM_NAMESPACE,
    fieldSelector: byName,
    describe: `pod ${SYSTEM_NAMESPACE}/${SMOKE_POD_NAME} to be deleted`,
    timeoutMs: 60_000,
    signal,
    until: (pods) => (pods.size === 0 ? true : undefined),
  });
  return true;
}

function containerOutcome(pod: V1Pod): string {
  const t = pod.status?.containerStatuses?.find((c) => c.name === SMOKE_CONTAINER)?.state
    ?.terminated;
  return t ? `exit code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}` : 'no exit status';
}

export function smokeTestStep(options: SmokeTestOptions): ClusterStep {
  const client = (): KubeClient => (options.client ?? createKubeClient)(options.kubeconfig());
  const { sandbox } = options;

  const recorded = async (ctx: StepContext): Promise<CheckResult> => {
    const cm = await client().get<V1ConfigMap>(
      RESOURCES.configMaps,
      SMOKE_RESULT_NAME,
      SYSTEM_NAMESPACE,
      ctx.signal,
    );
    const data = cm?.data ?? {};
    if (data['sandbox'] === sandbox && data['passed'] === 'true')
      return { satisfied: true, detail: `passed at ${data['passedAt'] ?? '?'}: ${data['detail']}` };
    return {
      satisfied: false,
      detail: `will run a pod under RuntimeClass ${sandbox} and check the kernel it sees`,
    };
  };

  async function run(ctx: StepContext, c: KubeClient): Promise<void> {
    const steps = 4;
    await c.apply(systemNamespace(), { signal: ctx.signal });
    if (await removePod(c, ctx.signal)) ctx.log('deleted a stale smoke test pod');
    const created = await c.create(
      RESOURCES.pods,
      smokeTestPod(sandbox, options.image),
      ctx.signal,
    );
    const uid = created.metadata?.uid ?? '';
    ctx.progress(1, steps, `pod created under RuntimeClass ${sandbox}`);
    ctx.log(`created pod ${SYSTEM_NAMESPACE}/${SMOKE_POD_NAME} (uid ${uid})`);
    const timeoutMs = options.timeoutMs ?? 180_000;
    let lastPhase = '';
    let pod: V1Pod;
    try {
      pod = await c.waitFor<V1Pod, V1Pod>(RESOURCES.pods, {
        namespace: SYSTEM_NAMESPACE,
        fieldSelector: byName,
        describe: `the smoke test pod to finish`,
        timeoutMs,
        signal: ctx.signal,
        onChange(pods) {
          const phase = [...pods.values()].find((p) => p.metadata?.uid === uid)?.status?.phase;
          if (!phase || phase === lastPhase) return;
          lastPhase = phase;
          ctx.progress(phase === 'Running' ? 2 : 1, steps, `pod ${phase}`);
        },
        until(pods) {
          const p = [...pods.values()].find((x) => x.metadata?.uid === uid);
          const phase = p?.status?.phase;
          return phase === 'Succeeded' || phase === 'Failed' ? p : undefined;
        },
      });
    } catch (e) {
      if (!(e instanceof WaitTimeoutError)) throw e;
      const events = await podEvents(c, uid, ctx.signal);
      throw new SmokeTestError(
        `The smoke test pod did not finish within ${Math.round(timeoutMs / 1000)} s (phase ${lastPhase || 'unknown'}).`,
        events,
        remedyFor(sandbox, events),
      );
    }
    const log = await c.readLog(SYSTEM_NAMESPACE, SMOKE_POD_NAME, SMOKE_CONTAINER, ctx.signal);
    if (pod.status?.phase === 'Failed') {
      const events = await podEvents(c, uid, ctx.signal);
      throw new SmokeTestError(
        `The smoke test pod failed: ${containerOutcome(pod)}; log: ${lastLine(log) || '(empty)'}.`,
        events,
        remedyFor(sandbox, events),
      );
    }
    ctx.progress(3, steps, 'pod succeeded; reading its kernel');
    const nodeName = pod.spec?.nodeName;
    const node = nodeName ? await c.get<V1Node>(RESOURCES.nodes, nodeName) : undefined;
    const nodeKernel = node?.status?.nodeInfo?.kernelVersion ?? '';
    const kernel = lastLine(log);
    const verdict = judgeKernel(sandbox, kernel, [...options.hostKernels(), nodeKernel]);
    ctx.log(`pod ran on ${nodeName ?? '?'}: uname -r = ${kernel || '(empty)'}`);
    if (!verdict.ok)
      throw new SmokeTestError(`Smoke test failed: ${verdict.detail}.`, [], remedyFor(sandbox, []));
    const result: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: SMOKE_RESULT_NAME, namespace: SYSTEM_NAMESPACE, labels: { ...MANAGED_BY } },
      data: {
        passed: 'true',
        sandbox,
        mode: verdict.mode,
        kernel,
        image: pod.spec?.containers[0]?.image ?? '',
        node: nodeName ?? '',
        detail: verdict.detail,
        passedAt: (options.now?.() ?? new Date()).toISOString(),
      },
    };
    await c.apply(result, { signal: ctx.signal });
    ctx.progress(steps, steps, verdict.detail);
    ctx.log(verdict.detail);
  }

  return {
    key: 'smoke-test',
    phase: 'smoke-test',
    host: null,
    title: `Smoke test: a pod runs under ${sandbox}`,
    check: recorded,
    async apply(ctx) {
      const c = client();
      try {
        await run(ctx, c);
      } finally {
        // Clean up even after a failure (but not on cancel: the next run deletes it as stale).
        if (!ctx.signal.aborted)
          await removePod(c, ctx.signal).catch((e: unknown) =>
            ctx.log(
              `could not delete the smoke test pod: ${e instanceof Error ? e.message : String(e)}`,
            ),
          );
      }
    },
    verify: recorded,
  };
}
