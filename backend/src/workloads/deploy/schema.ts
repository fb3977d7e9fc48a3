/**
 * Input schemas of `workloads.deploy.*`: the SHAPE of the form (types, enums, bounded lengths),
 * a 400 naming the field when it is wrong. The form's own rules (names, ports, env names…) are
 * common's `validateDeployForm`, run by the service, so the renderer and the API give the same
 * messages.
 *
 * @see https://zod.dev/api
 * @see ../../../../common/src/deploy/validate.ts
 */
import { EXPOSE_CHOICES, PORT_PROTOCOLS, PROBE_KINDS } from '@nodeless/common';
import { z } from 'zod';

const id = z.string().trim().min(1, 'is required').max(200, 'is too long');
/** Text fields: long enough for any real value (an env value, a command line), bounded. */
const text = (max = 1024) => z.string().max(max, `must be at most ${max} characters`);
const list = <T extends z.ZodType>(item: T, max: number) =>
  z.array(item).max(max, `must have at most ${max} entries`);

const size = z.strictObject({
  cpuMilli: z.number().int('must be a whole number'),
  memoryBytes: z.number().int('must be a whole number'),
});

const env = z.strictObject({
  name: text(256),
  from: z.enum(['value', 'secret', 'configMap']),
  value: text(32 * 1024),
  sourceName: text(253),
  sourceKey: text(253),
});

const port = z.strictObject({
  name: text(64),
  containerPort: text(16),
  protocol: z.enum(PORT_PROTOCOLS),
});

const probe = z.strictObject({
  kind: z.enum(PROBE_KINDS),
  path: text(2048),
  port: text(64),
  periodSeconds: text(16),
  initialDelaySeconds: text(16),
});

export const deployForm = z.strictObject({
  name: text(64),
  namespace: text(64),
  createNamespace: z.boolean(),
  image: text(1024),
  size,
  replicas: text(16),
  command: list(text(4096), 100),
  args: list(text(4096), 100),
  env: list(env, 200),
  ports: list(port, 50),
  expose: z.enum(EXPOSE_CHOICES),
  probe,
});

export const deployNamespacesInput = z.strictObject({ clusterId: id });

export const deploySubmitInput = z.strictObject({
  clusterId: id,
  form: deployForm,
  /** Take over fields other managers own (after the user saw the conflict). */
  force: z.boolean().optional(),
  /** Check only: every object is dry-run on the server, nothing is stored. */
  dryRun: z.boolean().optional(),
});

/** What deploying `form` would delete; the form may be half typed (nothing is checked). */
export const deployPlanInput = z.strictObject({ clusterId: id, form: deployForm });

export type DeployPlanInput = z.input<typeof deployPlanInput>;
export type DeployNamespacesInput = z.input<typeof deployNamespacesInput>;
export type DeploySubmitInput = z.input<typeof deploySubmitInput>;
