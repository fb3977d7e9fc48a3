/**
 * DaemonSet controller: one pod per node the pod may run on (nodeSelector, node affinity, taints
 * with the tolerations upstream adds to every daemon pod), pinned with a `metadata.name`
 * node-affinity term so the scheduler binds it, as upstream since v1.12. RollingUpdate replaces
 * outdated pods up to maxUnavailable at a time. Reports the DaemonSet status fields kubectl shows.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#how-daemon-pods-are-scheduled
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller.go
 */
import type { V1Toleration } from '@kubernetes/client-node';
import type { Cache } from '../cache.ts';
import { deleteQuietly, type SimContext } from '../context.ts';
import { R, raw, splitKey, view, type DaemonSet, type Node, type Pod } from '../model.ts';
import { isAvailable, isDeleting, isReady, isTerminal } from '../pods.ts';
import { matchesMap, matchesNodeSelectorTerms, untoleratedTaint } from '../selectors.ts';
import type { WorkQueue } from '../workqueue.ts';
import { intOrPercent, ownerKey, podFromTemplate, writeStatus } from './common.ts';
import { podTemplateHash } from './deployment.ts';

const SOURCE = { component: 'daemonset-controller' };
const REVISION_LABEL = 'controller-revision-hash';

/** Tolerations the DaemonSet controller adds to every daemon pod. */
const DAEMON_TOLERATIONS: V1Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** The node a daemon pod belongs to: bound node, else its pinning affinity term. */
export function daemonPodNode(p: Pod): string | undefined {
  return (
    p.spec?.nodeName ??
    p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0]
  );
}

export class DaemonSetController {
  private readonly pods: Cache;
  private readonly nodes: Cache;
  private readonly sets: Cache;
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: SimContext) {
    this.pods = ctx.cache(R.pods);
    this.nodes = ctx.cache(R.nodes);
    this.sets = ctx.cache(R.daemonSets);
    this.queue = ctx.queue('daemonset', (key) => this.sync(key));
    this.sets.on(
      (type, o) =>
        type !== 'DELETED' && this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`),
    );
    this.pods.on((_t, o) => {
      const k = ownerKey(o, 'DaemonSet');
      if (k) this.queue.add(k);
    });
    this.nodes.on(() => {
      for (const o of this.sets.all()) this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
    });
    for (const o of this.sets.all()) this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
  }

  private sync(key: string): undefined {
    const { namespace, name } = splitKey(key);
    const o = this.ctx.store.get(R.daemonSets, namespace, name);
    if (!o || o.metadata.deletionTimestamp) return;
    const ds = view<DaemonSet>(o);
    const template = ds.spec?.template;
    const hash = podTemplateHash(template);
    const tolerations = [...(template?.spec?.tolerations ?? []), ...DAEMON_TOLERATIONS];
    const terms =
      template?.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        ?.nodeSelectorTerms;
    const byNode = new Map<string, Pod[]>();
    for (const p of this.pods.ownedBy(o.metadata.uid).map((x) => view<Pod>(x))) {
      if (isDeleting(p) || isTerminal(p)) continue;
      const n = daemonPodNode(p) ?? '';
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    const remove = (p: Pod): void => {
      const { result, removed } = deleteQuietly(this.ctx.store, R.pods, raw(p), {
        preconditions: { uid: p.metadata?.uid ?? '' },
      });
      this.pods.assumeDeleted(`${namespace}/${p.metadata?.name}`, result, removed);
      this.ctx.events.record(
        o,
        'Normal',
        'SuccessfulDelete',
        `Deleted pod: ${p.metadata?.name}`,
        SOURCE,
      );
    };
    let desired = 0;
    const wanted = new Set<string>();
    for (const no of this.nodes.all()) {
      const node = view<Node>(no);
      const nodeName = node.metadata?.name ?? '';
      const taints = [...(node.spec?.taints ?? [])];
      if (node.spec?.unschedulable)
        taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
      const fits =
        matchesMap(template?.spec?.nodeSelector, node.metadata?.labels) &&
        matchesNodeSelectorTerms(terms, nodeName, node.metadata?.labels) &&
        !untoleratedTaint(taints, tolerations);
      if (!fits) continue;
      desired++;
      wanted.add(nodeName);
      const existing = byNode.get(nodeName) ?? [];
      if (existing.length === 0) {
        const pod = podFromTemplate(template, o, `${name}-`, {
          labels: { [REVISION_LABEL]: hash },
          spec: {
            tolerations,
            affinity: {
              ...template?.spec?.affinity,
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [
                    { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] },
                  ],
                },
              },
            },
          },
        });
        const created = this.ctx.store.create(R.pods, raw(pod));
        this.pods.assume(created);
        this.ctx.events.record(
          o,
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${created.metadata.name}`,
          SOURCE,
        );
      } else for (const p of existing.slice(1)) remove(p);
    }
    for (const [n, ps] of byNode) if (!wanted.has(n)) ps.forEach(remove);
    // RollingUpdate: replace outdated pods while unavailable stays within maxUnavailable.
    const now = this.ctx.clock.now();
    const current = () =>
      this.pods
        .ownedBy(o.metadata.uid)
        .map((x) => view<Pod>(x))
        .filter((p) => !isDeleting(p) && !isTerminal(p) && wanted.has(daemonPodNode(p) ?? ''));
    if (ds.spec?.updateStrategy?.type !== 'OnDelete') {
      const maxUnavailable = Math.max(
        1,
        intOrPercent(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable, '1', desired, false),
      );
      const pods = current();
      let unavailable =
        desired - pods.filter((p) => isAvailable(p, ds.spec?.minReadySeconds, now)).length;
      for (const p of pods) {
        if (unavailable >= maxUnavailable) break;
        if (p.metadata?.labels?.[REVISION_LABEL] === hash) continue;
        remove(p);
        unavailable++;
      }
    }
    const pods = current();
    const fresh = this.ctx.store.get(R.daemonSets, namespace, name);
    if (!fresh) return;
    const available = pods.filter((p) => isAvailable(p, ds.spec?.minReadySeconds, now)).length;
    writeStatus(this.ctx.store, R.daemonSets, fresh, {
      observedGeneration: fresh.metadata.generation ?? 1,
      desiredNumberScheduled: desired,
      currentNumberScheduled: pods.length,
      numberMisscheduled: [...byNode.keys()].filter((n) => !wanted.has(n)).length,
      numberReady: pods.filter(isReady).length,
      numberAvailable: available,
      ...(desired - available > 0 ? { numberUnavailable: desired - available } : {}),
      updatedNumberScheduled: pods.filter((p) => p.metadata?.labels?.[REVISION_LABEL] === hash)
        .length,
    });
  }
}
