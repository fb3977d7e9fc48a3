/**
 * Reading a cluster file: YAML → zod validation → field-level errors in the form
 * `spec.hosts[1].ssh.port: must be between 1 and 65535`, then secrets looked up by env name.
 *
 * @see ./schema.ts — the documented schema
 * @see https://eemeli.org/yaml/#parsing-yaml
 */
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { SshTarget } from '../connect/target.ts';
import type { HostRole } from '@nodeless/common';
import { clusterFileSchema, type ClusterFile, type ClusterFileHost } from './schema.ts';

/** One field-level problem. */
export interface FieldError {
  /** `spec.hosts[1].ssh.port` */
  readonly path: string;
  readonly message: string;
}

/** Parse outcome: the file, or every problem found. */
export type ClusterFileResult =
  { ok: true; file: ClusterFile } | { ok: false; errors: FieldError[] };

/** Formats a zod path as `a.b[1].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
}

function issuesToErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((i) => {
    let message = i.message;
    if (i.code === 'unrecognized_keys')
      message = `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`;
    return { path: formatPath(i.path) || '(file)', message };
  });
}

/** Parses and validates cluster file text. */
export function parseClusterFile(text: string): ClusterFileResult {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        path: `(yaml line ${e.linePos?.[0]?.line ?? '?'})`,
        message: e.message.split('\n')[0] ?? e.message,
      })),
    };
  }
  const result = clusterFileSchema.safeParse(doc.toJS());
  return result.success
    ? { ok: true, file: result.data }
    : { ok: false, errors: issuesToErrors(result.error.issues) };
}

/** Renders field errors one per line, for the CLI. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('\n');
}

/** A host of the file with its secrets looked up. */
export interface ResolvedFileHost {
  readonly name: string;
  readonly role: HostRole;
  readonly target: SshTarget;
  readonly secrets: { passphrase?: string; password?: string };
  readonly sudoPassword: string | undefined;
  readonly sudo: ClusterFileHost['sudo'];
}

/** Turns file hosts into connect targets, reading secrets from `env`; missing variables are field errors. */
export function resolveFileHosts(
  file: ClusterFile,
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; hosts: ResolvedFileHost[] } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const read = (name: string | undefined, path: string): string | undefined => {
    if (name === undefined) return undefined;
    const value = env[name];
    if (value === undefined)
      errors.push({ path, message: `environment variable ${name} is not set` });
    return value;
  };
  const hosts = file.spec.hosts.map((h, i): ResolvedFileHost => {
    const p = `spec.hosts[${i}]`;
    const b = h.ssh.bastion;
    const bastion: SshTarget | undefined = b && {
      host: b.address,
      ...(b.port ? { port: b.port } : {}),
      ...(b.user ? { user: b.user } : {}),
      ...(b.keyPath ? { keyPath: b.keyPath } : {}),
      ...(b.useAgent !== undefined ? { useAgent: b.useAgent } : {}),
      secrets: {
        ...optional('passphrase', read(b.passphraseEnv, `${p}.ssh.bastion.passphraseEnv`)),
        ...optional('password', read(b.passwordEnv, `${p}.ssh.bastion.passwordEnv`)),
      },
    };
    return {
      name: h.ssh.address,
      role: h.role,
      sudo: h.sudo,
      target: {
        host: h.ssh.address,
        ...(h.ssh.port ? { port: h.ssh.port } : {}),
        ...(h.ssh.user ? { user: h.ssh.user } : {}),
        ...(h.ssh.keyPath ? { keyPath: h.ssh.keyPath } : {}),
        ...(h.ssh.useAgent !== undefined ? { useAgent: h.ssh.useAgent } : {}),
        ...(bastion ? { jump: [bastion] } : {}),
      },
      secrets: {
        ...optional('passphrase', read(h.ssh.passphraseEnv, `${p}.ssh.passphraseEnv`)),
        ...optional('password', read(h.ssh.passwordEnv, `${p}.ssh.passwordEnv`)),
      },
      sudoPassword: read(h.sudoPasswordEnv, `${p}.sudoPasswordEnv`),
    };
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, hosts };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
