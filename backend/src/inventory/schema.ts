/**
 * Inventory input schemas: the single source of validation for clusters and hosts.
 * Every API input passes through one of these; a failure becomes HTTP 400 whose message
 * names the field (e.g. `port: must be between 1 and 65535`).
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/** RFC 1123 hostname: labels of 1–63 chars [a-z0-9-], not starting/ending with '-'. */
const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Message for a missing or wrongly typed value. Zod's defaults ("Invalid input: expected
 * string, received undefined") are for developers; these are shown next to a form field.
 */
const typeError =
  (expected: string) =>
  (issue: { input: unknown }): string =>
    issue.input === undefined || issue.input === null ? 'is required' : `must be ${expected}`;

/** Message for a discriminator or enum outside its options; path ends in the field itself. */
function choiceError(options: string[]) {
  return (issue: { input: unknown }): string => {
    if (issue.input === undefined || issue.input === null) return 'is required';
    return `must be one of: ${options.join(', ')}`;
  };
}

const text = () => z.string({ error: typeError('text') });

export const clusterName = text()
  .trim()
  .min(1, 'is required')
  .max(63, 'must be at most 63 characters')
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    'use lowercase letters, digits and "-" (like a-cluster-1)',
  );

/**
 * A DNS name is at most 253 characters (RFC 1035 §2.3.4), and so is any address we store: the
 * address is sent with every inventory list and event, so an unbounded one (say a 1 MB IPv6
 * zone id, which `isIP` accepts) would be carried to every window for good.
 */
const MAX_ADDRESS = 253;
/**
 * An IPv6 zone id (`fe80::1%eth0`) names an interface: Linux names have at most 15 bytes
 * (IFNAMSIZ), Windows uses numbers. 32 of these characters is generous and still bounded.
 * @see https://www.rfc-editor.org/rfc/rfc6874#section-2
 */
const ZONE_ID = /^[A-Za-z0-9_.-]{1,32}$/;

function isAddress(value: string): boolean {
  if (HOSTNAME.test(value)) return true;
  if (isIP(value) === 0) return false;
  const zone = value.indexOf('%');
  return zone === -1 || ZONE_ID.test(value.slice(zone + 1));
}

export const hostAddress = text()
  .trim()
  .min(1, 'is required')
  // abort: a too-long value is not matched against the patterns at all.
  .max(MAX_ADDRESS, { error: `must be at most ${MAX_ADDRESS} characters`, abort: true })
  .refine(isAddress, 'must be a hostname, IPv4 or IPv6 address');

/**
 * JSON integers only. `z.coerce` turned `true` into 1, `[2222]` and `"0x16"` into numbers, so
 * what was stored was not what was sent; the UI sends a number and scripts can too.
 */
export const sshPort = z
  .number({ error: typeError('a whole number') })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

export const sshUser = text()
  .trim()
  .min(1, 'is required')
  .max(32, 'must be at most 32 characters')
  .regex(/^[a-z_][a-z0-9_.-]*\$?$/i, 'is not a valid Unix user name');

const secret = text().min(1, 'is required').max(4096, 'is too long');
const filePath = text().trim().min(1, 'is required').max(4096, 'is too long');

/**
 * How Nodeless logs in. Secrets are write-only: responses carry only whether one is set.
 * Every object is strict: an unknown field is a 400 naming it, as in the other procedures,
 * instead of being silently dropped (and logged) after the write.
 */
export const authInput = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('key'),
      keyPath: filePath,
      /** Omitted on update = keep the stored one; empty string = clear it. */
      passphrase: text().max(4096, 'is too long').optional(),
    }),
    z.strictObject({ kind: z.literal('agent') }),
    /** Omitted on update = keep the stored password. */
    z.strictObject({ kind: z.literal('password'), password: secret.optional() }),
  ],
  { error: choiceError(['key', 'agent', 'password']) },
);

export const sudoInput = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({ kind: z.literal('passwordless') }),
    z.strictObject({ kind: z.literal('password'), password: secret.optional() }),
  ],
  { error: choiceError(['none', 'passwordless', 'password']) },
);

export const hostRole = z.enum(['server', 'agent'], { error: choiceError(['server', 'agent']) });

export const id = z.uuid({
  error: (issue) =>
    issue.input === undefined || issue.input === null
      ? 'is required'
      : 'must be an id returned by the API',
});

export const createClusterInput = z.strictObject({ name: clusterName });
export const renameClusterInput = z.strictObject({ id, name: clusterName });
export const deleteClusterInput = z.strictObject({
  id,
  /** Required (true) when the cluster still has hosts; the UI asks the user first. */
  confirm: z.boolean().optional(),
});

export const hostFields = z.strictObject({
  address: hostAddress,
  port: sshPort.default(22),
  user: sshUser,
  role: hostRole,
  auth: authInput,
  sudo: sudoInput,
});
export const addHostInput = hostFields.extend({ clusterId: id });
export const updateHostInput = hostFields.extend({ id });
export const removeHostInput = z.strictObject({ id });

export type CreateClusterInput = z.input<typeof createClusterInput>;
export type RenameClusterInput = z.input<typeof renameClusterInput>;
export type DeleteClusterInput = z.input<typeof deleteClusterInput>;
export type AddHostInput = z.input<typeof addHostInput>;
export type UpdateHostInput = z.input<typeof updateHostInput>;
export type RemoveHostInput = z.input<typeof removeHostInput>;
export type HostRole = z.infer<typeof hostRole>;
