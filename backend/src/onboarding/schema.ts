/**
 * Input schemas of `onboarding.*`. Ids are the inventory's; fingerprints must look like
 * OpenSSH's `SHA256:` + 43 base64 characters, so a typo is a 400 naming the field rather than
 * a probe that can only disagree.
 *
 * @see https://zod.dev/api
 */
import { z } from 'zod';

const id = z.string().trim().min(1, 'is required').max(200, 'is too long');

export const checkInput = z.strictObject({
  clusterId: id,
  hostIds: z.array(id).max(500, 'lists too many hosts').optional(),
});

export const clusterIdInput = z.strictObject({ clusterId: id });

export const trustHostKeyInput = z.strictObject({
  hostId: id,
  fingerprint: z
    .string()
    .trim()
    .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must be an OpenSSH SHA256 fingerprint (SHA256:…)'),
  replace: z.boolean().optional(),
});

export const forgetHostKeyInput = z.strictObject({ hostId: id });

export type CheckInput = z.input<typeof checkInput>;
export type TrustHostKeyInput = z.input<typeof trustHostKeyInput>;
