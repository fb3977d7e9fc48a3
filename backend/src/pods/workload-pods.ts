/**
 * Which pods a workload's log view follows: those its selector matches, read from the workload
 * object (as `kubectl logs deployment/x` does), so pods of a new rollout are found by the same
 * selector as the old ones.
 *
 * A CronJob has no selector of its own: its Jobs' pods carry the labels of its job template, so
 * those are the selector (pods of another workload with the very same labels would be included).
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
import { labelSelectorText, RESOURCES, type KubeClient } from '@nodeless/cluster-runtime';
import type { LogsWorkloadKind } from './logs-types.ts';

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

interface WorkloadObject {
  metadata?: { name?: string };
  spec?: {
    selector?: LabelSelector;
    jobTemplate?: { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } };
  };
}

const TYPES = {
  Deployment: RESOURCES.deployments,
  StatefulSet: RESOURCES.statefulSets,
  Job: RESOURCES.jobs,
  CronJob: RESOURCES.cronJobs,
} as const;

/** The label selector of the workload's pods; throws a sentence when there is none. */
export async function workloadSelector(
  client: Pick<KubeClient, 'get'>,
  namespace: string,
  workload: { kind: LogsWorkloadKind; name: string },
  signal: AbortSignal,
): Promise<string> {
  const o = await client.get<WorkloadObject & { apiVersion?: string; kind?: string }>(
    TYPES[workload.kind],
    workload.name,
    namespace,
    signal,
  );
  if (!o) throw new Error(`${workload.kind} "${workload.name}" not found in ${namespace}.`);
  const selector =
    workload.kind === 'CronJob'
      ? { matchLabels: o.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {} }
      : o.spec?.selector;
  const text = labelSelectorText(selector);
  if (text === '') throw new Error(`${workload.kind} "${workload.name}" selects no pods by label.`);
  return text;
}
