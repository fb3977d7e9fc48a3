/**
 * HorizontalPodAutoscaler (autoscaling/v2) for Resource metrics (cpu, memory; Utilization or
 * AverageValue) read from the simulated metrics. Every `syncPeriodMs`:
 * desired = ceil(ready pods × currentUtilisation / target), skipped within `tolerance`; pods
 * without metrics count as 0 % on scale-up and 100 % on scale-down, as upstream; scale-up limited
 * by the default policy (max(2×, +4) per period); scale-down stabilised by taking the highest
 * recommendation of the window; clamped to min/maxReplicas. Acts through the target's
 * spec.replicas and reports currentMetrics and AbleToScale/ScalingActive/ScalingLimited.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#algorithm-details
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/replica_calculator.go
 */
import type { SimTimer } from '../../clock.ts';
import type { ResourceKey } from '../../store/types.ts';
import type { Cache } from '../cache.ts';
import type { SimContext } from '../context.ts';
import type { MetricsSource } from '../metrics.ts';
import { R, clone, isoTime, splitKey, view, type Hpa, type Pod } from '../model.ts';
import { containerRequests, isActive } from '../pods.ts';
import { bytes, formatMilliCpu, milliCpu } from '../quantity.ts';
import { matchesSelector } from '../selectors.ts';
import type { WorkQueue } from '../workqueue.ts';
import { setCondition, writeStatus } from './common.ts';

export interface HpaOptions {
  syncPeriodMs: number;
  tolerance: number;
  downscaleStabilizationMs: number;
}

const SOURCE = { component: 'horizontal-pod-autoscaler' };

const TARGETS: Record<string, ResourceKey> = {
  Deployment: R.deployments,
  ReplicaSet: R.replicaSets,
  StatefulSet: R.statefulSets,
};

type Scalable = { spec?: { replicas?: number; selector?: Parameters<typeof matchesSelector>[0] } };

export class HpaController {
  private readonly pods: Cache;
  private readonly hpas: Cache;
  private readonly queue: WorkQueue;
  private readonly history = new Map<string, { t: number; n: number }[]>();
  private timer: SimTimer | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly metrics: MetricsSource,
    private readonly options: HpaOptions,
  ) {
    this.pods = ctx.cache(R.pods);
    this.hpas = ctx.cache(R.hpas);
    this.queue = ctx.queue('hpa', (key) => this.sync(key));
    this.hpas.on((type, o, old) => {
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      if (type === 'DELETED') this.history.delete(key);
      // HPAs carry no generation upstream: a spec change is what to act on.
      else if (!old || JSON.stringify(old['spec']) !== JSON.stringify(o['spec']))
        this.queue.add(key);
    });
    for (const o of this.hpas.all()) this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
    const tick = (): void => {
      for (const o of this.hpas.all()) this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
      this.timer = ctx.clock.setTimeout(tick, options.syncPeriodMs);
    };
    this.timer = ctx.clock.setTimeout(tick, options.syncPeriodMs);
    ctx.onStop(() => this.timer && ctx.clock.clearTimeout(this.timer));
  }

  private sync(key: string): undefined {
    const { namespace, name } = splitKey(key);
    const o = this.ctx.store.get(R.hpas, namespace, name);
    if (!o || !namespace) return;
    const hpa = view<Hpa>(o);
    const now = this.ctx.clock.now();
    const t = isoTime(now);
    const ref = hpa.spec?.scaleTargetRef;
    const resource = ref ? TARGETS[ref.kind] : undefined;
    const target = resource && ref ? this.ctx.store.get(resource, namespace, ref.name) : undefined;
    let conds = hpa.status?.conditions ?? [];
    const status = (extra: Record<string, unknown>): void => {
      // Upstream's HPA controller sets no observedGeneration (HPAs have no generation).
      writeStatus(this.ctx.store, R.hpas, o, {
        ...hpa.status,
        ...extra,
        conditions: conds,
      });
    };
    if (!target || !resource) {
      conds = setCondition(
        conds,
        {
          type: 'AbleToScale',
          status: 'False',
          reason: 'FailedGetScale',
          message: `the HPA controller was unable to get the target's current scale: ${ref?.kind ?? ''} "${ref?.name ?? ''}" not found`,
        },
        t,
      );
      status({ currentReplicas: 0, desiredReplicas: 0 });
      return undefined;
    }
    const scalable = view<Scalable>(target);
    const current = scalable.spec?.replicas ?? 1;
    const min = hpa.spec?.minReplicas ?? 1;
    const max = hpa.spec?.maxReplicas ?? 1;
    if (current === 0) {
      conds = setCondition(
        conds,
        {
          type: 'ScalingActive',
          status: 'False',
          reason: 'ScalingDisabled',
          message: 'scaling is disabled since the replica count of the target is zero',
        },
        t,
      );
      status({ currentReplicas: 0, desiredReplicas: 0 });
      return undefined;
    }
    const pods = this.pods
      .inNamespace(namespace)
      .map((p) => view<Pod>(p))
      .filter((p) => isActive(p) && matchesSelector(scalable.spec?.selector, p.metadata?.labels));
    const specs = hpa.spec?.metrics ?? [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ];
    let proposal = 0;
    let reasonText = '';
    const currentMetrics: unknown[] = [];
    for (const m of specs) {
      if (m.type !== 'Resource' || !m.resource) continue;
      const res = m.resource.name;
      const req = (p: Pod): number =>
        (p.spec?.containers ?? []).reduce(
          (a, c) => a + (res === 'cpu' ? containerRequests(c).cpu : containerRequests(c).memory),
          0,
        );
      const withMetrics: { usage: number; request: number }[] = [];
      const missing: Pod[] = [];
      for (const p of pods) {
        const u = this.metrics.podUsage(p);
        if (u) withMetrics.push({ usage: res === 'cpu' ? u.cpu : u.memory, request: req(p) });
        else missing.push(p);
      }
      const utilization = m.resource.target.type === 'Utilization';
      if (
        withMetrics.length === 0 ||
        (utilization &&
          [...withMetrics.map((w) => w.request), ...missing.map(req)].some((r) => r === 0))
      ) {
        const why =
          withMetrics.length === 0
            ? `did not receive metrics for targeted pods (pods might be unready)`
            : `missing request for ${res}`;
        conds = setCondition(
          conds,
          {
            type: 'ScalingActive',
            status: 'False',
            reason: 'FailedGetResourceMetric',
            message: `the HPA was unable to compute the replica count: failed to get ${res} utilization: ${why}`,
          },
          t,
        );
        this.ctx.events.record(
          o,
          'Warning',
          'FailedGetResourceMetric',
          `failed to get ${res} utilization: ${why}`,
          SOURCE,
        );
        status({
          currentReplicas: current,
          desiredReplicas: hpa.status?.desiredReplicas ?? current,
        });
        return undefined;
      }
      const usage = withMetrics.reduce((a, w) => a + w.usage, 0);
      const requests = withMetrics.reduce((a, w) => a + w.request, 0);
      const targetValue = utilization
        ? (m.resource.target.averageUtilization ?? 80)
        : res === 'cpu'
          ? milliCpu(m.resource.target.averageValue)
          : bytes(m.resource.target.averageValue);
      const ratioOf = (u: number, r: number, n: number): number =>
        utilization ? (u * 100) / r / targetValue : u / n / targetValue;
      const ratio = ratioOf(usage, requests, withMetrics.length);
      let desired = current;
      if (missing.length === 0) {
        if (Math.abs(ratio - 1) > this.options.tolerance)
          desired = Math.ceil(ratio * withMetrics.length);
      } else {
        // Missing pods: 0 usage when scaling up, exactly the target when scaling down.
        const missingReq = missing.reduce((a, p) => a + req(p), 0);
        const assumed =
          ratio > 1
            ? 0
            : utilization
              ? (missingReq * targetValue) / 100
              : missing.length * targetValue;
        const n = withMetrics.length + missing.length;
        const adjusted = ratioOf(usage + assumed, requests + missingReq, n);
        if (Math.abs(adjusted - 1) > this.options.tolerance && ratio > 1 === adjusted > 1)
          desired = Math.ceil(adjusted * n);
      }
      const avg = usage / withMetrics.length;
      currentMetrics.push({
        type: 'Resource',
        resource: {
          name: res,
          current: {
            averageValue: res === 'cpu' ? formatMilliCpu(Math.round(avg)) : String(Math.round(avg)),
            ...(utilization ? { averageUtilization: Math.round((usage * 100) / requests) } : {}),
          },
        },
      });
      if (desired > proposal) {
        proposal = desired;
        reasonText = utilization
          ? `${res} resource utilization (percentage of request) ${desired > current ? 'above' : 'below'} target`
          : `${res} resource ${desired > current ? 'above' : 'below'} target`;
      }
    }
    // Scale-down stabilisation: the highest recommendation within the window wins.
    const windowMs =
      hpa.spec?.behavior?.scaleDown?.stabilizationWindowSeconds !== undefined
        ? hpa.spec.behavior.scaleDown.stabilizationWindowSeconds * 1000
        : this.options.downscaleStabilizationMs;
    const recs = (this.history.get(key) ?? []).filter((r) => r.t > now - windowMs);
    recs.push({ t: now, n: proposal });
    this.history.set(key, recs);
    let desired = proposal;
    let stabilized = false;
    if (proposal < current) {
      const highest = Math.max(...recs.map((r) => r.n));
      desired = Math.min(current, highest);
      stabilized = desired > proposal;
    } else if (proposal > current && !hpa.spec?.behavior?.scaleUp)
      desired = Math.min(proposal, Math.max(2 * current, current + 4));
    const bounded = Math.max(min, Math.min(max, desired));
    conds = setCondition(
      conds,
      {
        type: 'ScalingActive',
        status: 'True',
        reason: 'ValidMetricFound',
        message: `the HPA was able to successfully calculate a replica count from ${reasonText.split(' (')[0] || 'metrics'}`,
      },
      t,
    );
    conds = setCondition(
      conds,
      desired > max
        ? {
            type: 'ScalingLimited',
            status: 'True',
            reason: 'TooManyReplicas',
            message: 'the desired replica count is more than the maximum replica count',
          }
        : desired < min
          ? {
              type: 'ScalingLimited',
              status: 'True',
              reason: 'TooFewReplicas',
              message: 'the desired replica count is less than the minimum replica count',
            }
          : {
              type: 'ScalingLimited',
              status: 'False',
              reason: 'DesiredWithinRange',
              message: 'the desired count is within the acceptable range',
            },
      t,
    );
    let lastScaleTime = hpa.status?.lastScaleTime;
    if (bounded !== current) {
      const next = clone(target);
      (next as unknown as Scalable).spec = {
        ...(next as unknown as Scalable).spec,
        replicas: bounded,
      };
      this.ctx.store.update(resource, next);
      lastScaleTime = t;
      this.ctx.events.record(
        o,
        'Normal',
        'SuccessfulRescale',
        `New size: ${bounded}; reason: ${bounded > current ? reasonText.replace('below', 'above') : reasonText.replace('above', 'below') || 'All metrics below target'}`,
        SOURCE,
      );
      conds = setCondition(
        conds,
        {
          type: 'AbleToScale',
          status: 'True',
          reason: 'SucceededRescale',
          message: `the HPA controller was able to update the target scale to ${bounded}`,
        },
        t,
      );
    } else {
      conds = setCondition(
        conds,
        stabilized
          ? {
              type: 'AbleToScale',
              status: 'True',
              reason: 'ScaleDownStabilized',
              message:
                'recent recommendations were higher than current one, applying the highest recent recommendation',
            }
          : {
              type: 'AbleToScale',
              status: 'True',
              reason: 'ReadyForNewScale',
              message: 'recommended size matches current size',
            },
        t,
      );
    }
    status({
      currentReplicas: current,
      desiredReplicas: bounded,
      currentMetrics,
      ...(lastScaleTime ? { lastScaleTime } : {}),
    });
  }
}
