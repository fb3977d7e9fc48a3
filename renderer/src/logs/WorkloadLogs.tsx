/**
 * The log viewer in workload mode, for the Workloads details: every pod of the workload merged,
 * each line labelled with its pod in the pod's colour, following new pods after a redeploy (the
 * backend adds and drops pods; the viewer lists them).
 *
 * Mount: `<WorkloadLogs clusterId={id} namespace={ns} kind="Deployment" name="api"
 * containers={templateContainerNames} />` in a box with a height (the lines fill it).
 */
import type { LogsWorkloadKind } from '@nodeless/backend/api';
import type { PodsLogsApi } from '../api/pods-logs-api.ts';
import { LogViewer } from './LogViewer.tsx';

export function WorkloadLogs(props: {
  clusterId: string;
  namespace: string;
  kind: LogsWorkloadKind;
  name: string;
  /** The pod template's container names (a picker shows when there are several). */
  containers?: readonly string[];
  api?: PodsLogsApi;
}) {
  const { clusterId, namespace, kind, name, containers = [], api } = props;
  return (
    <LogViewer
      clusterId={clusterId}
      api={api}
      target={{ kind: 'workload', namespace, workload: { kind, name }, containers }}
    />
  );
}
