/**
 * KWOK's configuration: the Stage resources that move pods through a kubelet's lifecycle, and
 * the Logs, Exec, ResourceUsage and Metric resources that stand in for the kubelet's server.
 * Passed to `kwok --config` (multi-document YAML), so no KWOK CRD needs installing. The
 * kubelet server's side (logs, exec, usage, metrics) is ./kwok-kubelet.ts; this file keeps the
 * lifecycle stages.
 *
 * Adapted from KWOK's own `kustomize/stage/pod/general` and `stage/node/fast` +
 * `heartbeat-with-lease`, with what Nodeless relies on made faithful to the kubelet:
 * - `PodReadyToStartContainers` turns True when the sandbox is up (KEP-3085; the kubelet sets
 *   it after the sandbox and its network exist) — the meter starts the bill there;
 * - deletion honours `terminationGracePeriodSeconds`: containers keep running until the pod's
 *   `deletionTimestamp` (the end of its grace period, as a process that ignores SIGTERM would),
 *   are then reported terminated (exit 137, SIGKILL), and only then is the pod removed;
 * - Job pods complete; any pod whose restartPolicy is not Always may carry a completion delay;
 * - a `statusTemplate` is sent as a strategic merge patch of `pods/status` (KWOK's default for
 *   Pods), so `status.conditions` merges by `type`: a stage rewrites only the conditions it
 *   names and keeps the others — what the kubelet's status manager does (`mergePodStatus` keeps
 *   every condition the kubelet does not own, e.g. Nodeless's `nodeless.dev/sandbox-started`).
 * Every delay can be overridden per pod with KWOK's documented annotation
 * `<stage>.stage.kwok.x-k8s.io/delay` (a duration, e.g. `90s`), which tests use to give pods
 * exact lifetimes.
 *
 * @see https://kwok.sigs.k8s.io/docs/user/stages-configuration/
 * @see https://github.com/kubernetes-sigs/kwok/blob/v0.8.0/pkg/utils/lifecycle/next.go — computePatch: StrategicMergePatchType for Pods
 * @see https://github.com/kubernetes/kubernetes/blob/v1.36.3/pkg/kubelet/status/status_manager.go — mergePodStatus
 * @see https://github.com/kubernetes-sigs/kwok/tree/main/kustomize/stage
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-has-ready-to-start-containers
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 */
import YAML from 'yaml';
import { SIMULATED_COMMAND_NAMES } from '../kube-sim/sim/commands.ts';
import { KIND, kubeletResources } from './kwok-kubelet.ts';

/** Annotation selecting the nodes this KWOK manages (`--manage-nodes-with-annotation-selector`). */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
/**
 * Nodes whose status KWOK itself keeps fresh (heartbeats). Stand-in k3s agents post their own
 * status like a kubelet, so only the loopback control plane's nodes carry this.
 */
export const KWOK_HEARTBEAT_ANNOTATION = 'nodeless.dev/kwok-heartbeat';

export interface StageTiming {
  /** Scheduled → sandbox up (`PodReadyToStartContainers`), ms. Default 500. */
  readonly sandboxMs?: number;
  /** Sandbox up → containers running and Ready, ms. Default 500. */
  readonly startMs?: number;
  /** Each init container's run time, ms. Default 300. */
  readonly initMs?: number;
  /** Running → Succeeded for Job pods, ms. Default 3000. */
  readonly jobMs?: number;
}

type Expr = {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
};

function stage(
  name: string,
  kind: 'Pod' | 'Node',
  match: Expr[],
  next: Record<string, unknown>,
  delayMs?: number,
  delayFrom?: string,
): Record<string, unknown> {
  const annotationDelay = `.metadata.annotations["${name}.stage.kwok.x-k8s.io/delay"]`;
  return {
    ...KIND,
    kind: 'Stage',
    metadata: { name },
    spec: {
      resourceRef: { apiGroup: 'v1', kind },
      selector: { matchExpressions: match },
      ...(delayMs === undefined
        ? {}
        : {
            delay: {
              durationMilliseconds: delayMs,
              durationFrom: { expressionFrom: delayFrom ?? annotationDelay },
            },
          }),
      next,
    },
  };
}

const notDeleted: Expr = { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' };
const deleted: Expr = { key: '.metadata.deletionTimestamp', operator: 'Exists' };
const phase = (...values: string[]): Expr => ({ key: '.status.phase', operator: 'In', values });
const condition = (type: string, operator: 'In' | 'NotIn', status: string): Expr => ({
  key: `.status.conditions.[] | select( .type == "${type}" ) | .status`,
  operator,
  values: [status],
});
const running = '.status.containerStatuses.[].state.running.startedAt';

/** Container statuses in one state, for every container of `.spec.<list>`. */
function statuses(list: 'containers' | 'initContainers', state: string, ready: boolean): string {
  return `{{ range .spec.${list} }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  ready: ${ready}
  restartCount: 0
  started: ${state.startsWith('running') ? 'true' : 'false'}
  state:
    ${state}
{{ end }}`;
}

const cond = (type: string, status: string, reason = '') =>
  `- lastProbeTime: null
  lastTransitionTime: {{ $now | Quote }}
  status: "${status}"
  type: ${type}${reason ? `\n  reason: ${reason}` : ''}`;

function podStages(t: StageTiming): Array<Record<string, unknown>> {
  const sandbox = `{{ $now := Now }}
conditions:
${cond('PodReadyToStartContainers', 'True')}
{{ if .spec.initContainers }}
${cond('Initialized', 'False', 'ContainersNotInitialized')}
{{ else }}
${cond('Initialized', 'True')}
{{ end }}
${cond('Ready', 'False', 'ContainersNotReady')}
${cond('ContainersReady', 'False', 'ContainersNotReady')}
{{ if .spec.initContainers }}
initContainerStatuses:
${statuses('initContainers', 'waiting: {reason: PodInitializing}', false)}
containerStatuses:
${statuses('containers', 'waiting: {reason: PodInitializing}', false)}
{{ else }}
containerStatuses:
${statuses('containers', 'waiting: {reason: ContainerCreating}', false)}
{{ end }}
hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
podIP: {{ PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) | Quote }}
phase: Pending
startTime: {{ $now | Quote }}`;

  const initDone = `{{ $now := Now }}
conditions:
${cond('Initialized', 'True')}
initContainerStatuses:
${statuses('initContainers', 'terminated: {exitCode: 0, reason: Completed, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }}}', false)}
containerStatuses:
${statuses('containers', 'waiting: {reason: ContainerCreating}', false)}`;

  const ready = `{{ $now := Now }}
conditions:
${cond('Ready', 'True')}
${cond('ContainersReady', 'True')}
containerStatuses:
${statuses('containers', 'running: {startedAt: {{ $now | Quote }}}', true)}
phase: Running`;

  const finished = (exit: number, reason: string, podPhase: string) => `{{ $now := Now }}
{{ $root := . }}
conditions:
${cond('Ready', 'False', 'PodCompleted')}
${cond('ContainersReady', 'False', 'PodCompleted')}
${cond('PodReadyToStartContainers', 'False')}
containerStatuses:
{{ range $i, $c := .spec.containers }}
{{ $started := $now }}
{{ with index $root.status.containerStatuses $i }}{{ with .state.running }}{{ $started = .startedAt }}{{ end }}{{ end }}
- image: {{ $c.image | Quote }}
  name: {{ $c.name | Quote }}
  ready: false
  restartCount: 0
  started: false
  state:
    terminated:
      exitCode: ${exit}
      reason: ${reason}
      startedAt: {{ $started | Quote }}
      finishedAt: {{ $now | Quote }}
{{ end }}
${podPhase ? `phase: ${podPhase}` : ''}`;

  return [
    stage(
      'pod-create',
      'Pod',
      [notDeleted, { key: '.status.podIP', operator: 'DoesNotExist' }],
      {
        event: { type: 'Normal', reason: 'SandboxReady', message: 'Pod sandbox created' },
        statusTemplate: sandbox,
      },
      t.sandboxMs ?? 500,
    ),
    stage(
      'pod-init-container-completed',
      'Pod',
      [
        notDeleted,
        phase('Pending'),
        condition('Initialized', 'NotIn', 'True'),
        { key: '.status.initContainerStatuses.[].state.waiting.reason', operator: 'Exists' },
      ],
      { statusTemplate: initDone },
      t.initMs ?? 300,
    ),
    stage(
      'pod-ready',
      'Pod',
      [
        notDeleted,
        phase('Pending'),
        condition('Initialized', 'In', 'True'),
        { key: running, operator: 'DoesNotExist' },
      ],
      {
        event: { type: 'Normal', reason: 'Started', message: 'Started container' },
        statusTemplate: ready,
      },
      t.startMs ?? 500,
    ),
    stage(
      'pod-complete',
      'Pod',
      [
        notDeleted,
        phase('Running'),
        { key: '.metadata.ownerReferences.[].kind', operator: 'In', values: ['Job'] },
      ],
      { statusTemplate: finished(0, 'Completed', 'Succeeded') },
      t.jobMs ?? 3000,
    ),
    // A bare pod given a lifetime by annotation (restartPolicy Never/OnFailure) completes too.
    stage(
      'pod-exit',
      'Pod',
      [
        notDeleted,
        phase('Running'),
        { key: '.metadata.annotations["pod-exit.stage.kwok.x-k8s.io/delay"]', operator: 'Exists' },
        { key: '.spec.restartPolicy', operator: 'NotIn', values: ['Always'] },
      ],
      { statusTemplate: finished(0, 'Completed', 'Succeeded') },
      0,
    ),
    // A container whose command the substrate simulates (kube-sim's commands: `uname -r`)
    // exits at once; the kubelet front (kubelet-front.ts) serves its output.
    stage(
      'pod-exit-command',
      'Pod',
      [
        notDeleted,
        phase('Running'),
        { key: '.spec.restartPolicy', operator: 'NotIn', values: ['Always'] },
        {
          key: '.spec.containers.[].command.[0]',
          operator: 'In',
          values: [...SIMULATED_COMMAND_NAMES],
        },
      ],
      { statusTemplate: finished(0, 'Completed', 'Succeeded') },
      200,
    ),
    // Deleted while running: the containers stop when the grace period ends (deletionTimestamp).
    stage(
      'pod-stop',
      'Pod',
      [deleted, { key: running, operator: 'Exists' }],
      { statusTemplate: finished(137, 'Error', '') },
      0,
      '.metadata.deletionTimestamp',
    ),
    // Nothing runs any more: the kubelet removes the pod (grace 0) once finalizers are gone.
    stage(
      'pod-delete',
      'Pod',
      [
        deleted,
        { key: '.metadata.finalizers', operator: 'DoesNotExist' },
        { key: running, operator: 'DoesNotExist' },
      ],
      { delete: true },
      0,
    ),
  ];
}

function nodeStages(): Array<Record<string, unknown>> {
  const heartbeat: Expr = {
    key: `.metadata.annotations["${KWOK_HEARTBEAT_ANNOTATION}"]`,
    operator: 'In',
    values: ['true'],
  };
  const conditions = `{{ $now := Now }}
{{ $since := or .metadata.creationTimestamp $now }}
conditions:
{{ range NodeConditions }}
- lastHeartbeatTime: {{ $now | Quote }}
  lastTransitionTime: {{ $since | Quote }}
  message: {{ .message | Quote }}
  reason: {{ .reason | Quote }}
  status: {{ .status | Quote }}
  type: {{ .type | Quote }}
{{ end }}`;
  const endpoint = `{{ with NodePort }}
daemonEndpoints:
  kubeletEndpoint:
    Port: {{ . }}
{{ end }}`;
  return [
    stage('node-initialize', 'Node', [heartbeat, condition('Ready', 'NotIn', 'True')], {
      statusTemplate: `${conditions}
addresses:
- address: {{ NodeIP | Quote }}
  type: InternalIP
- address: {{ NodeName | Quote }}
  type: Hostname
${endpoint}
phase: Running`,
    }),
    // With leases (`--node-lease-duration-seconds`) the status only needs refreshing rarely, as a
    // kubelet does (nodeStatusReportFrequency 5 min).
    stage(
      'node-heartbeat-with-lease',
      'Node',
      [heartbeat, condition('Ready', 'In', 'True')],
      { statusTemplate: `${conditions}\n${endpoint}` },
      300_000,
      '.metadata.annotations["node-heartbeat.stage.kwok.x-k8s.io/delay"]',
    ),
  ];
}

/** The whole `kwok --config` file. */
export function kwokConfig(o: { timing?: StageTiming; logsFile: string; execDir: string }): string {
  return [...nodeStages(), ...podStages(o.timing ?? {}), ...kubeletResources(o.logsFile, o.execDir)]
    .map((doc) => YAML.stringify(doc, { lineWidth: 0 }))
    .join('---\n');
}
