/**
 * The cluster facts the serverless policies read as their parameter (paramKind ConfigMap
 * `nodeless-system/serverless-policy-params`): the sandbox RuntimeClass, its fixed overhead,
 * and each machine's allocatable CPU and memory. The policies themselves are then the same
 * text on every cluster (one version per render of the table, whatever the hardware), and the
 * baseline rewrites only this object when machines join or leave.
 *
 * A param rather than rendering the sandbox into the policies: the machine list must be a
 * param anyway (it changes with the fleet), and keeping every cluster-specific fact in one
 * object keeps the policy set's version meaningful across clusters.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/#parameter-resources
 */
import type { V1ConfigMap, V1Node } from '@kubernetes/client-node';
import { quantityMilliValue, quantityValue } from '@nodeless/common';
import { MANAGED_BY, SYSTEM_NAMESPACE } from '../baseline/objects.ts';
import { RUNTIME_OVERHEAD, type Sandbox } from '../baseline/runtime-classes.ts';
import { RESOURCES, type KubeClient } from '../client.ts';
import { celDecimal } from './cel.ts';
import type { Validation } from './fence.ts';

export const PARAMS_NAME = 'serverless-policy-params';
/** Key prefix of one machine's allocatable in the params (`machine.<node>: <cpuMilli>,<bytes>`). */
export const MACHINE_KEY_PREFIX = 'machine.';

/** The sandbox class as the policies read it. */
export const sandboxClassExpr = 'params.data.runtimeClassName';

export interface Machine {
  name: string;
  cpuMilli: number;
  memoryBytes: number;
}

/** Machines from Node objects: their allocatable (what the scheduler may give pods). */
export function machinesOf(nodes: readonly V1Node[]): Machine[] {
  return nodes
    .filter(
      (n) => n.metadata?.name && n.status?.allocatable?.['cpu'] && n.status.allocatable['memory'],
    )
    .map((n) => ({
      name: n.metadata?.name ?? '',
      cpuMilli: quantityMilliValue(n.status?.allocatable?.['cpu'] ?? '0'),
      memoryBytes: quantityValue(n.status?.allocatable?.['memory'] ?? '0'),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function policyParams(sandbox: Sandbox, machines: readonly Machine[]): V1ConfigMap {
  const overhead = RUNTIME_OVERHEAD[sandbox];
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: PARAMS_NAME, namespace: SYSTEM_NAMESPACE, labels: { ...MANAGED_BY } },
    data: {
      runtimeClassName: sandbox,
      overheadCpuMilli: String(overhead.cpuMilli),
      overheadMemoryBytes: String(overhead.memoryBytes),
      ...Object.fromEntries(
        machines.map((m) => [`${MACHINE_KEY_PREFIX}${m.name}`, `${m.cpuMilli},${m.memoryBytes}`]),
      ),
    },
  };
}

/**
 * Rewrites the params' machines from the nodes the cluster has now, keeping the sandbox class
 * the baseline recorded — after a machine left (the baseline step does it when machines join).
 * Without it the policies would keep admitting pods only the removed machine could hold, and
 * they would stay Pending. Server-side apply by the baseline's field manager, so the removed
 * machine's key goes. Answers whether the params differ(ed) from the nodes — with `write`
 * false it only looks (a step's check and verify); no params (policies not installed, e.g. an
 * imported cluster) → nothing to do.
 */
export async function refreshPolicyMachines(
  client: KubeClient,
  options: { signal?: AbortSignal; write: boolean },
): Promise<{ changed: boolean; machines: number }> {
  const { signal } = options;
  const current = await client.get<V1ConfigMap>(
    RESOURCES.configMaps,
    PARAMS_NAME,
    SYSTEM_NAMESPACE,
    signal,
  );
  const sandbox = current?.data?.['runtimeClassName'];
  if (!current || !sandbox || !(sandbox in RUNTIME_OVERHEAD))
    return { changed: false, machines: 0 };
  const { items } = await client.list<V1Node>(RESOURCES.nodes, { signal });
  const wanted = policyParams(sandbox as Sandbox, machinesOf(items));
  const machines = Object.keys(wanted.data ?? {}).filter((k) => k.startsWith(MACHINE_KEY_PREFIX));
  if (sameData(current.data, wanted.data)) return { changed: false, machines: machines.length };
  if (options.write) await client.apply(wanted, signal ? { signal } : {});
  return { changed: true, machines: machines.length };
}

function sameData(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => a?.[k] === b?.[k]);
}

const MACHINES = `params.data.filter(k, k.startsWith('${MACHINE_KEY_PREFIX}'))`;
const field = (k: string, i: 0 | 1): string => `int(params.data[${k}].split(',')[${i}])`;

/**
 * The pod's size plus the sandbox overhead must fit one machine's allocatable (CPU and memory
 * on the same machine). No machine recorded yet: nothing to compare, allowed.
 */
export function machineFit(path: string): Validation {
  const needCpu = `(variables.sizeCpu + int(params.data.overheadCpuMilli))`;
  const needMemory = `(variables.sizeMemory + int(params.data.overheadMemoryBytes))`;
  return {
    expression:
      `variables.size == '' || ${MACHINES}.size() == 0 || ` +
      `${MACHINES}.exists(k, ${field('k', 0)} >= ${needCpu} && ${field('k', 1)} >= ${needMemory})`,
    messageExpression:
      `'the pod (${path}) is sized ' + variables.size + ' and with the sandbox overhead needs ' + ` +
      `${celDecimal(needCpu, 1000)} + ' vCPU / ' + ${celDecimal(needMemory, 2 ** 30)} + ` +
      `' GiB on one machine, more than any machine can hold (the most allocatable: ' + ` +
      `${celDecimal(`${MACHINES}.map(k, ${field('k', 0)}).max()`, 1000)} + ' vCPU, ' + ` +
      `${celDecimal(`${MACHINES}.map(k, ${field('k', 1)}).max()`, 2 ** 30)} + ` +
      `' GiB); lower its requests and limits or add a bigger machine'`,
    reason: 'Invalid',
  };
}
