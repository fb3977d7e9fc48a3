/**
 * Prices derived from what the machines cost (issue 15: "no anchor does this for bare metal").
 * The operator enters what each machine costs per month (hardware amortisation, power, rack,
 * licences — one number) and a target utilisation; the prices are set so that pods billed at
 * that utilisation recover the machines' cost.
 *
 * Split between CPU and memory: a configurable **price ratio** r = (price of 1 vCPU-hour) ÷
 * (price of 1 GiB-hour), given as two integers `cpu : gib`. Cloud list prices put r near 9
 * (Fargate: 0.04048 / 0.004445 ≈ 9.1) and OpenCost's default on-prem prices near 7.5 (GCP's
 * E2: 0.031611 / 0.004237); the default here is Fargate's 4048 : 445, so a bare-metal bill
 * reads like the one users know. A ratio rather than a "CPU share of cost" keeps the relative
 * price of the two stable when machines of different shapes are added.
 *
 * Formula, per hour (C = total monthly cost, H = hours per month, u = target utilisation,
 * V = pool vCPU, G = pool GiB, both from the machines' allocatable):
 *
 *     cost to recover per hour   C / H
 *     sold per hour              u·V vCPU-hours and u·G GiB-hours
 *     p_gib · u · (r·V + G) = C / H    ⇒   p_gib = C / (H · u · (r·V + G)),   p_cpu = r · p_gib
 *
 * Rounded once each, half up, to the nano-unit per hour (the price unit of prices.ts): an error
 * of at most 0.5 nano per vCPU-hour — under 0.00001 of the currency on a 16-vCPU pod's month.
 *
 * @see https://aws.amazon.com/fargate/pricing/
 * @see https://www.opencost.io/docs/configuration/on-prem — custom pricing for on-prem clusters
 * @see ./prices.ts
 */
import { GIB, type ResourceAmount } from '@nodeless/common';
import { PriceError, roundHalfUp, toSafeNumber, type Prices } from './prices.ts';

/** AWS's convention: a month is 730 hours (8760 / 12). */
export const HOURS_PER_MONTH = 730;

/** Fargate's vCPU-hour to GB-hour ratio (0.04048 : 0.004445). */
export const DEFAULT_PRICE_RATIO = { cpu: 4048, gib: 445 } as const;

export interface MachineCost {
  /** What the machine costs per month, in micro-units. */
  monthlyMicros: number;
  /** What it offers to pods (its allocatable): millicores and bytes. */
  allocatable: ResourceAmount;
}

export interface DerivePricesInput {
  currency: string;
  machines: readonly MachineCost[];
  /** Share of the pool expected to be billed, in parts per million (700,000 = 70 %). */
  targetUtilisationPpm: number;
  /** Price of a vCPU-hour : price of a GiB-hour (integers). */
  ratio?: { cpu: number; gib: number };
  minimumSeconds?: number;
  hoursPerMonth?: number;
}

function positive(field: string, value: number): bigint {
  if (!Number.isSafeInteger(value) || value <= 0) throw new PriceError(field, value);
  return BigInt(value);
}

/**
 * Prices that recover the machines' monthly cost when `targetUtilisationPpm` of the pool is
 * billed (see the module comment for the formula).
 *
 * @throws PriceError when an input is not a positive integer or the pool is empty.
 */
export function derivePrices(input: DerivePricesInput): Prices {
  const ratio = input.ratio ?? DEFAULT_PRICE_RATIO;
  const rc = positive('ratio.cpu', ratio.cpu);
  const rg = positive('ratio.gib', ratio.gib);
  const u = positive('targetUtilisationPpm', input.targetUtilisationPpm);
  const hours = positive('hoursPerMonth', input.hoursPerMonth ?? HOURS_PER_MONTH);
  let cost = 0n;
  let milli = 0n;
  let bytes = 0n;
  for (const m of input.machines) {
    cost += BigInt(m.monthlyMicros);
    milli += BigInt(m.allocatable.cpuMilli);
    bytes += BigInt(m.allocatable.memoryBytes);
  }
  if (cost <= 0n) throw new PriceError('machines monthly cost (micro-units)', Number(cost));
  // r·V + G in units of 1/(1000 · 2^30 · rg): (rc · milli · 2^30 + rg · bytes · 1000).
  const weighted = rc * milli * BigInt(GIB) + rg * bytes * 1000n;
  if (weighted <= 0n) throw new PriceError('pool capacity (machines allocatable)', 0);
  // p_gib [nano/GiB-h] = cost[micro]·1000 / (hours · u/1e6 · weighted / (1000 · 2^30 · rg))
  const num = cost * 1000n * 1_000_000n * 1000n * BigInt(GIB) * rg;
  const den = hours * u * weighted;
  const nanosPerGibHour = roundHalfUp(num, den);
  const nanosPerVcpuHour = roundHalfUp(num * rc, den * rg);
  return {
    currency: input.currency,
    nanosPerVcpuHour: toSafeNumber(nanosPerVcpuHour, 'price per vCPU-hour'),
    nanosPerGibHour: toSafeNumber(nanosPerGibHour, 'price per GiB-hour'),
    minimumSeconds: input.minimumSeconds ?? 0,
    overhead: 'excluded',
  };
}
