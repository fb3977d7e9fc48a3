/**
 * Input schemas of `meter.*`. An image must be a plain image reference (registry/path:tag or
 * @sha256 digest, as the distribution reference grammar has it); anything else is a 400 on
 * `image`.
 *
 * @see https://github.com/distribution/reference/blob/main/reference.go — the grammar
 * @see https://zod.dev/api
 */
import { z } from 'zod';

const id = z.string().trim().min(1, 'is required').max(200, 'is too long');

/**
 * `[host[:port]/]path[:tag][@sha256:…]`: lower-case path components separated by `.`, `_`,
 * `__` or `-`; a tag of word characters, `.` and `-` (≤ 128); the host may carry capitals and a
 * port.
 */
export const IMAGE_REFERENCE =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export const meterStatusInput = z.strictObject({ clusterId: id });

export const meterInstallInput = z.strictObject({
  clusterId: id,
  /** Another copy of the meter's image (e.g. pushed to the cluster's registry with skopeo). */
  image: z
    .string()
    .trim()
    .max(512, 'is too long')
    .regex(
      IMAGE_REFERENCE,
      'must be an image reference like registry.example:5000/nodeless/meter:0.1.0',
    )
    .optional(),
});

export const meterUninstallInput = z.strictObject({
  clusterId: id,
  /** Also delete the ledger in the cluster (records the app has not synced are lost). */
  deleteLedger: z.boolean().default(false),
});

export type MeterStatusInput = z.input<typeof meterStatusInput>;
export type MeterInstallInput = z.input<typeof meterInstallInput>;
export type MeterUninstallInput = z.input<typeof meterUninstallInput>;
