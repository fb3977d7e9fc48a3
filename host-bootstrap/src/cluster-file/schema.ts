/**
 * The declarative cluster file (k0sctl-like), validated with zod. Secrets are never written in
 * the file: only the NAMES of environment variables that hold them (`passwordEnv`, …).
 *
 * ```yaml
 * apiVersion: nodeless.dev/v1alpha1
 * kind: Cluster
 * metadata:
 *   name: lab                       # DNS label: lowercase letters, digits, '-'
 * spec:
 *   hosts:
 *     - ssh:
 *         address: 10.0.0.11        # IP, DNS name or ~/.ssh/config alias
 *         port: 22                  # default 22 (or the config's Port)
 *         user: admin               # default: the config's User, else your login name
 *         keyPath: ~/.ssh/id_ed25519
 *         passphraseEnv: LAB_KEY_PASSPHRASE   # env var holding the key passphrase
 *         useAgent: true            # use ssh-agent (SSH_AUTH_SOCK); default true
 *         passwordEnv: LAB_PASSWORD # env var holding the login password
 *         bastion:                  # jump host (same fields except bastion)
 *           address: gw.example.org
 *           user: jump
 *       role: server                # server | agent
 *       sudo: password              # none (login is root) | passwordless | password
 *       sudoPasswordEnv: LAB_SUDO   # required when sudo: password
 *   k3s:
 *     version: v1.36.3+k3s1         # v1.36 or newer (MutatingAdmissionPolicy GA)
 *   sandbox: auto                   # microvm | gvisor | auto (microVM where KVM is usable)
 *   artifacts:
 *     mode: online                  # online | airgap
 *     bundlePath: ./nodeless-airgap.tar   # required when mode: airgap
 *     kataVersion: 3.20.0           # online Kata release (default: the pinned one)
 *     kataSha256: 0123…             # sha256 of its tarball: Kata publishes no checksums
 * ```
 *
 * @see https://docs.k0sproject.io/stable/k0sctl-install/ — the k0sctl.yaml model
 * @see https://zod.dev/api — schema API (zod 4)
 */
import { z } from 'zod';
import { k3sVersionProblem, parseK3sVersion } from '../bootstrap/k3s-version.ts';

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name (letters, digits, _)');

const port = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const SECRET_KEYS = ['password', 'passphrase', 'sudoPassword', 'privateKey'];

const sshBase = {
  address: z.string({ error: 'is required' }).min(1, 'must not be empty'),
  port: port.optional(),
  user: z.string().min(1, 'must not be empty').optional(),
  keyPath: z.string().min(1, 'must not be empty').optional(),
  passphraseEnv: envName.optional(),
  useAgent: z.boolean({ error: 'must be true or false' }).optional(),
  passwordEnv: envName.optional(),
};

/** Rejects inline secrets with a message that says what to do instead. */
function noInlineSecrets(value: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const key of SECRET_KEYS) {
    if (key in value) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `secrets are not allowed in the file; put the value in an environment variable and name it in ${key === 'privateKey' ? 'keyPath (a file path)' : `${key}Env`}`,
      });
    }
  }
}

const bastionSchema = z
  .looseObject(sshBase)
  .superRefine(noInlineSecrets)
  .pipe(z.strictObject(sshBase));

const sshSchema = z
  .looseObject({ ...sshBase, bastion: bastionSchema.optional() })
  .superRefine(noInlineSecrets)
  .pipe(z.strictObject({ ...sshBase, bastion: bastionSchema.optional() }));

const hostSchema = z
  .strictObject({
    ssh: sshSchema,
    role: z.enum(['server', 'agent'], { error: 'must be "server" or "agent"' }),
    sudo: z
      .enum(['none', 'passwordless', 'password'], {
        error: 'must be "none", "passwordless" or "password"',
      })
      .default('passwordless'),
    sudoPasswordEnv: envName.optional(),
  })
  .superRefine((h, ctx) => {
    if (h.sudo === 'password' && !h.sudoPasswordEnv)
      ctx.addIssue({
        code: 'custom',
        path: ['sudoPasswordEnv'],
        message: 'is required when sudo is "password"',
      });
  });

/** An online install's Kata release (cluster file and API alike). */
export const kataVersionField = z
  .string()
  .regex(/^\d+\.\d+\.\d+$/, 'must be a Kata release number like 3.20.0');

/** sha256 of that release's tarball: Kata publishes no checksums to verify against. */
export const kataSha256Field = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a sha256: 64 lowercase hex digits');

/** Schema of the cluster file. */
export const clusterFileSchema = z.strictObject({
  apiVersion: z.literal('nodeless.dev/v1alpha1', { error: 'must be "nodeless.dev/v1alpha1"' }),
  kind: z.literal('Cluster', { error: 'must be "Cluster"' }),
  metadata: z.strictObject({
    name: z
      .string({ error: 'is required' })
      .regex(
        /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
        'must be a DNS label (lowercase letters, digits and "-")',
      ),
  }),
  spec: z.strictObject({
    hosts: z
      .array(hostSchema, { error: 'must be a list of hosts' })
      .min(1, 'must list at least one host'),
    k3s: z
      .strictObject({
        version: z
          .string()
          .regex(/^v\d+\.\d+\.\d+\+k3s\d+$/, 'must look like v1.36.3+k3s1')
          .superRefine((v, ctx) => {
            // An unreadable tag is the regex's message already.
            const problem = parseK3sVersion(v) ? k3sVersionProblem(v) : undefined;
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          }),
      })
      .optional(),
    sandbox: z
      .enum(['microvm', 'gvisor', 'auto'], { error: 'must be "microvm", "gvisor" or "auto"' })
      .default('auto'),
    artifacts: z
      .strictObject({
        mode: z.enum(['online', 'airgap'], { error: 'must be "online" or "airgap"' }),
        bundlePath: z.string().min(1).optional(),
        kataVersion: kataVersionField.optional(),
        kataSha256: kataSha256Field.optional(),
      })
      .superRefine((a, ctx) => {
        if (a.mode === 'airgap' && !a.bundlePath)
          ctx.addIssue({
            code: 'custom',
            path: ['bundlePath'],
            message: 'is required when mode is "airgap"',
          });
      })
      .optional(),
  }),
});

/** A validated cluster file. */
export type ClusterFile = z.infer<typeof clusterFileSchema>;
/** One host entry of a cluster file. */
export type ClusterFileHost = ClusterFile['spec']['hosts'][number];
