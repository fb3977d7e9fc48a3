/**
 * The refusals of the serverless layer for one pod spec location (a Pod's `spec`, a workload's
 * `spec.template.spec`, a CronJob's `spec.jobTemplate.spec.template.spec`): each is a CEL
 * validation whose message names the offending field path, with indexes, and says what to use
 * instead — so `kubectl apply` prints the fix, not only the fault.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/#validation-expression
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/ — the same fields, baseline profile
 * @see https://github.com/containerd/containerd/blob/main/pkg/oci/spec.go — defaultUnixCaps
 */
import { describeSize, LARGEST_POD_SIZE } from '@nodeless/common';
import { celDecimal, celString } from './cel.ts';

/**
 * containerd's default capability set (`defaultUnixCaps`): what every container gets without
 * asking; adding anything else is refused. NET_RAW is in it (PSA baseline drops it from its own
 * allow-list, so baseline enforcement refuses adding it explicitly anyway).
 */
export const RUNTIME_DEFAULT_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
] as const;

export interface Validation {
  expression: string;
  messageExpression: string;
  reason?: 'Forbidden' | 'Invalid';
}

/** Where the pod spec sits: the CEL expression that reads it and its field path in messages. */
export interface SpecLocation {
  /** e.g. `variables.spec` */
  cel: string;
  /** e.g. `spec.template.spec` */
  path: string;
  /** Container lists to check (`ephemeralContainers` only exist on Pods). */
  containerLists: readonly string[];
}

const msg = (text: string): string => celString(text);

function flag(loc: SpecLocation, field: string, instead: string): Validation {
  return {
    expression: `!has(${loc.cel}.${field}) || !${loc.cel}.${field}`,
    messageExpression: msg(`${loc.path}.${field} is not allowed: ${instead}`),
    reason: 'Forbidden',
  };
}

/** First index in `list` where `pred` (over `v`) holds, as a CEL string. */
const firstIndex = (list: string, v: string, pred: string): string =>
  `string(${list}.map(${v}, ${pred}).indexOf(true))`;

function containerChecks(loc: SpecLocation, list: string): Validation[] {
  const L = `${loc.cel}.${list}`;
  const at = (pred: string): string =>
    `${msg(`${loc.path}.${list}[`)} + ${firstIndex(L, 'c', pred)}`;
  const hostPort = `has(c.ports) && c.ports.exists(p, has(p.hostPort) && p.hostPort != 0)`;
  const privileged = `has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged`;
  const caps = `has(c.securityContext) && has(c.securityContext.capabilities) && has(c.securityContext.capabilities.add)`;
  const defaults = `[${RUNTIME_DEFAULT_CAPABILITIES.map(celString).join(', ')}]`;
  const extra = `!((x.upperAscii().startsWith('CAP_') ? x.upperAscii().substring(4) : x.upperAscii()) in ${defaults})`;
  const addsExtra = `${caps} && c.securityContext.capabilities.add.exists(x, ${extra})`;
  const firstC = `${L}[${L}.map(c, ${addsExtra}).indexOf(true)]`;
  const guard = (pred: string): string => `!has(${L}) || !${L}.exists(c, ${pred})`;
  return [
    {
      expression: guard(hostPort),
      messageExpression:
        `${at(hostPort)} + '].ports[' + ` +
        `${firstIndex(`${L}[${L}.map(c, ${hostPort}).indexOf(true)].ports`, 'p', 'has(p.hostPort) && p.hostPort != 0')} + ` +
        msg(
          '].hostPort is not allowed: pods run in sandboxes on machines they do not own; expose the port with a Service',
        ),
      reason: 'Forbidden',
    },
    {
      expression: guard(privileged),
      messageExpression:
        `${at(privileged)} + ` +
        msg(
          '].securityContext.privileged is not allowed: a sandbox gives no access to the machine; drop it and add only the capabilities the container needs from the runtime default set',
        ),
      reason: 'Forbidden',
    },
    {
      expression: guard(addsExtra),
      messageExpression:
        `${at(addsExtra)} + '].securityContext.capabilities.add[' + ` +
        `${firstIndex(`${firstC}.securityContext.capabilities.add`, 'x', extra)} + '] (' + ` +
        `${firstC}.securityContext.capabilities.add.filter(x, ${extra})[0] + ` +
        msg(
          `) is not allowed: only the container runtime's default capabilities can be added (${RUNTIME_DEFAULT_CAPABILITIES.join(', ')})`,
        ),
      reason: 'Forbidden',
    },
  ];
}

/** The refusals for the pod spec at `loc`, given the sandbox's RuntimeClass name expression. */
export function podSpecValidations(loc: SpecLocation, sandboxClass: string): Validation[] {
  const S = loc.cel;
  const volumes = `${S}.volumes`;
  return [
    flag(
      loc,
      'hostNetwork',
      'pods run in sandboxes with their own network; expose ports with a Service',
    ),
    flag(
      loc,
      'hostPID',
      "pods run in sandboxes and cannot see the machine's processes; share a process namespace between containers with shareProcessNamespace",
    ),
    flag(
      loc,
      'hostIPC',
      "pods run in sandboxes and cannot join the machine's IPC namespace; share memory between containers with an emptyDir (medium: Memory)",
    ),
    {
      expression: `!has(${volumes}) || !${volumes}.exists(v, has(v.hostPath))`,
      messageExpression:
        `${msg(`${loc.path}.volumes[`)} + ${firstIndex(volumes, 'v', 'has(v.hostPath)')} + ` +
        msg(
          "].hostPath is not allowed: pods do not own the machine's disk; use an emptyDir or a PersistentVolumeClaim",
        ),
      reason: 'Forbidden',
    },
    ...loc.containerLists.flatMap((list) => containerChecks(loc, list)),
    {
      expression: `!has(${S}.nodeName) || ${S}.nodeName == ''`,
      messageExpression: msg(
        `${loc.path}.nodeName is not allowed: tenants do not pick machines; remove it and let the scheduler place the pod`,
      ),
      reason: 'Forbidden',
    },
    {
      expression: `!has(${S}.runtimeClassName) || ${S}.runtimeClassName == ${sandboxClass}`,
      messageExpression:
        `${msg(`${loc.path}.runtimeClassName: `)} + ${S}.runtimeClassName + ` +
        `' is not allowed: every pod runs in the cluster\\'s sandbox ' + ${sandboxClass} + '; remove the field (it is set for you)'`,
      reason: 'Forbidden',
    },
    {
      expression: `variables.size != ''`,
      messageExpression:
        `'the pod asks for ' + ${celDecimal('variables.effCpu', 1000)} + ' vCPU / ' + ` +
        `${celDecimal('variables.effMemory', 2 ** 30)} + ' GiB (${loc.path}: its containers\\' limits, else requests), ` +
        `more than the largest pod size (${describeSize(LARGEST_POD_SIZE)}); split the work into smaller pods or lower its requests and limits'`,
      reason: 'Invalid',
    },
  ];
}
