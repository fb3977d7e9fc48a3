/**
 * Input schemas of `usage.*`: shapes only; ranges and prices are checked by the service
 * (range.ts, prices.ts), which names the bad field the same way (a 400 with field errors).
 *
 * @see https://zod.dev/api
 */
import { z } from 'zod';

const clusterId = z.string().trim().min(1, 'is required').max(200, 'is too long');
const time = z.string().trim().min(1, 'is required').max(64, 'is too long');
const range = { clusterId, from: time, to: time };

export const usageClusterInput = z.strictObject({ clusterId });
export const usageTableInput = z.strictObject({
  ...range,
  by: z.enum(['namespace', 'workload', 'pod']),
  namespace: z.string().max(253).optional(),
  workload: z.string().max(400).optional(),
});
export const usageSeriesInput = z.strictObject({
  ...range,
  by: z.enum(['namespace', 'workload']),
  bucket: z.enum(['hour', 'day']),
});
export const usageIdleInput = z.strictObject(range);
export const usagePodInput = z.strictObject({ clusterId, uid: z.string().trim().min(1).max(128) });

const priceText = z.string().max(40, 'is too long');
export const priceSettingsInput = z.discriminatedUnion('mode', [
  z.strictObject({
    clusterId,
    mode: z.literal('entered'),
    currency: z.string().max(8),
    minimumSeconds: z.number({ error: 'must be a number' }),
    perVcpuHour: priceText,
    perGibHour: priceText,
  }),
  z.strictObject({
    clusterId,
    mode: z.literal('derived'),
    currency: z.string().max(8),
    minimumSeconds: z.number({ error: 'must be a number' }),
    monthlyCostPerMachine: priceText,
    targetUtilisationPercent: z.number({ error: 'must be a number' }),
  }),
]);

export type UsagePodInput = z.infer<typeof usagePodInput>;
export type UsageClusterInput = z.infer<typeof usageClusterInput>;
