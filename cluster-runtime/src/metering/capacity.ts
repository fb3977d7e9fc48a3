/**
 * The pool's capacity per UTC hour (issue 15: "Idle = pool capacity − billed specs, per hour"),
 * as the meter and the desktop both keep it. One definition of a capacity sample — the
 * allocatable of the Ready, schedulable machines (the pool's poolNodes) — used by the desktop's
 * sampler while it runs and by the meter while it leads, so an hour sampled by either means the
 * same thing. An hour keeps sums and a sample count, not a mean, so samples fold exactly (integers)
 * and two sources of one hour can be compared by how many samples each took.
 *
 * The meter keeps the last {@link CAPACITY_KEEP_HOURS} hours in one ConfigMap
 * ({@link METER_CAPACITY_NAME}, label `nodeless.dev/ledger=capacity`, so the meter's fence admits
 * it and uninstall's ledger deletion removes it), as CSV text readable with kubectl.
 *
 * @see ../pool/pool.ts — poolNodes (which machines count)
 * @see ./idle.ts — idlePerHour (what the capacity is for)
 * @see https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/node-v1/#NodeStatus
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { ResourceAmount } from '@nodeless/common';
import { poolNodes, resourceAmount, type PoolNode } from '../pool/pool.ts';
import { LEDGER_LABEL, LEDGER_NAMESPACE } from './ledger-configmap.ts';
import { LEDGER_CAPACITY_LABEL_VALUE, METER_CAPACITY_NAME } from './meter-names.ts';
import { SEGMENT_SECONDS } from './record.ts';

/** 35 days: the ledger's default retention, so idle is known as far back as records are. */
export const CAPACITY_KEEP_HOURS = 35 * 24;
/** Data key of the capacity ConfigMap. */
export const CAPACITY_KEY = 'hours.csv';
const HEADER = 'hour,samples,cpu_milli_sum,memory_bytes_sum';

/** One UTC hour's capacity samples, summed (integers: millicores and bytes). */
export interface CapacityHour {
  /** UTC hour index since the epoch (a ledger record's `segment`). */
  hour: number;
  samples: number;
  cpuMilliSum: number;
  memoryBytesSum: number;
}

/** What the pool offers now: Σ allocatable of the Ready, schedulable machines. */
export function poolCapacity(nodes: Iterable<PoolNode>): ResourceAmount {
  let cpuMilli = 0;
  let memoryBytes = 0;
  for (const node of poolNodes(nodes)) {
    const a = resourceAmount(node.allocatable);
    cpuMilli += a.cpuMilli;
    memoryBytes += a.memoryBytes;
  }
  return { cpuMilli, memoryBytes };
}

/** The UTC hour index of `ms` (epoch milliseconds). */
export const capacityHourOf = (ms: number): number => Math.floor(ms / (SEGMENT_SECONDS * 1000));

/**
 * `hours` with one sample of `amount` added to `hour`, sorted by hour, keeping only the hours
 * after `hour − keepHours` (bounded: the oldest fall off as time moves on). Pure: a new array.
 */
export function addCapacitySample(
  hours: readonly CapacityHour[],
  hour: number,
  amount: ResourceAmount,
  keepHours: number = CAPACITY_KEEP_HOURS,
): CapacityHour[] {
  const out = hours.filter((h) => h.hour > hour - keepHours).map((h) => ({ ...h }));
  const found = out.find((h) => h.hour === hour);
  if (found) {
    found.samples += 1;
    found.cpuMilliSum += amount.cpuMilli;
    found.memoryBytesSum += amount.memoryBytes;
  } else {
    out.push({
      hour,
      samples: 1,
      cpuMilliSum: amount.cpuMilli,
      memoryBytesSum: amount.memoryBytes,
    });
  }
  return out.sort((a, b) => a.hour - b.hour);
}

/** The meter's capacity ConfigMap holding `hours`. */
export function capacityConfigMap(
  hours: readonly CapacityHour[],
  namespace: string = LEDGER_NAMESPACE,
): V1ConfigMap {
  const lines = hours.map((h) => `${h.hour},${h.samples},${h.cpuMilliSum},${h.memoryBytesSum}`);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: METER_CAPACITY_NAME,
      namespace,
      labels: { [LEDGER_LABEL]: LEDGER_CAPACITY_LABEL_VALUE },
    },
    data: { [CAPACITY_KEY]: [HEADER, ...lines].map((l) => `${l}\n`).join('') },
  };
}

/** A capacity ConfigMap that is not what {@link capacityConfigMap} writes. */
export class CapacityFormatError extends Error {
  override name = 'CapacityFormatError';
}

const INTEGER = /^\d+$/;

/**
 * The hours of a capacity ConfigMap (none when it has no data). Refuses anything else than
 * non-negative safe integers with at least one sample: a bad row must not become a capacity.
 */
export function capacityHoursFromConfigMap(cm: V1ConfigMap | undefined): CapacityHour[] {
  const text = cm?.data?.[CAPACITY_KEY];
  if (text === undefined) return [];
  const lines = text.split('\n').filter((l) => l !== '');
  if (lines[0] !== HEADER)
    throw new CapacityFormatError(`${CAPACITY_KEY}: header is not ${HEADER}`);
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    const nums = cells.map(Number);
    if (
      cells.length !== 4 ||
      cells.some((c) => !INTEGER.test(c)) ||
      nums.some((n) => !Number.isSafeInteger(n)) ||
      nums[1] === 0
    )
      throw new CapacityFormatError(`${CAPACITY_KEY} line ${i + 2}: ${JSON.stringify(line)}`);
    const [hour = 0, samples = 0, cpuMilliSum = 0, memoryBytesSum = 0] = nums;
    return { hour, samples, cpuMilliSum, memoryBytesSum };
  });
}
