/**
 * What the pod details say about the pod's bill, pure: the backend's line ("billed 0.5 vCPU /
 * 1 GiB for 3 h 12 min 5 s = 0.420000") with its currency, "so far" while the pod runs, its
 * efficiency ("usage missing" when nothing was measured, never 0 %), or — when the ledger has
 * nothing for the pod — why: no meter in the cluster, or the meter has not written it yet.
 */
import type { UsagePodBill, UsageStatus } from '@nodeless/backend/api';
import { percent } from './usage-format.ts';

export type PodBillView =
  { kind: 'billed'; line: string; efficiency: string } | { kind: 'none'; text: string };

export function podBillView(bill: UsagePodBill): PodBillView {
  const line = `${bill.line} ${bill.currency}${bill.running ? ' so far' : ''}`;
  const e = bill.efficiency;
  const efficiency =
    e.state === 'missing'
      ? 'Usage missing: no metrics were measured for this pod'
      : `Used ${percent(e.cpuPpm)} of its CPU and ${percent(e.memoryPpm)} of its memory`;
  return { kind: 'billed', line, efficiency };
}

/** The words when the ledger has no record of the pod, by the meter's state. */
export function notBilledView(meter: UsageStatus['meter'] | undefined): PodBillView {
  if (meter?.state === 'absent') {
    return {
      kind: 'none',
      text: 'Not billed: this cluster has no meter, so its pods are not recorded. Usage shows how to install it.',
    };
  }
  if (meter?.state === 'stale') {
    return {
      kind: 'none',
      text: 'Not billed yet: the meter is not running right now; it records this pod when it is back.',
    };
  }
  return {
    kind: 'none',
    text: 'Not billed yet: the meter writes each hour of a pod when the hour closes, and its last one when it ends.',
  };
}
