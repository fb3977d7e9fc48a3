/**
 * A reader for OpenSSH `known_hosts` files: plain and hashed (`|1|salt|hash`) host fields,
 * `[host]:port` entries, wildcard and negated patterns, and the `@revoked` /
 * `@cert-authority` markers. Pure: the caller supplies file contents.
 *
 * @see https://man.openbsd.org/sshd.8#SSH_KNOWN_HOSTS_FILE_FORMAT
 * @see https://github.com/openssh/openssh-portable/blob/master/hostfile.c
 */
import { createHmac } from 'node:crypto';
import { sha256Fingerprint } from './fingerprint.ts';

/** One parsed line of a known_hosts file. */
export interface KnownHostsEntry {
  readonly marker: 'revoked' | 'cert-authority' | undefined;
  /** Raw host field patterns (comma-split), hashed ones kept as `|1|…|…`. */
  readonly patterns: readonly string[];
  readonly keyType: string;
  readonly keyBase64: string;
  readonly fingerprint: string;
  /** Where the line came from, for messages: `~/.ssh/known_hosts:12`. */
  readonly source: string;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Parses a known_hosts file; malformed lines are skipped as OpenSSH does. */
export function parseKnownHosts(text: string, sourceName: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostsEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [hosts, keyType, keyBase64] = fields;
    if (!hosts || !keyType || !keyBase64) return;
    const wire = Buffer.from(keyBase64, 'base64');
    if (wire.length === 0) return;
    entries.push({
      marker,
      patterns: hosts.split(','),
      keyType,
      keyBase64,
      fingerprint: sha256Fingerprint(wire),
      source: `${sourceName}:${i + 1}`,
    });
  });
  return entries;
}

/** OpenSSH glob: `*` any run, `?` one char; case-insensitive like match_hostname(). */
function globMatch(pattern: string, name: string): boolean {
  const re = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${re}$`).test(name.toLowerCase());
}

function hashedMatch(pattern: string, name: string): boolean {
  const parts = pattern.split('|');
  // |1|salt|hash → ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1' || !parts[2] || !parts[3]) return false;
  const salt = Buffer.from(parts[2], 'base64');
  const digest = createHmac('sha1', salt).update(name).digest('base64');
  return digest === parts[3];
}

/** Whether an entry's host field names `host` on `port`. */
export function entryMatches(entry: KnownHostsEntry, host: string, port: number): boolean {
  const name = knownHostsName(host, port);
  let positive = false;
  for (const pattern of entry.patterns) {
    if (pattern.startsWith('|')) {
      if (hashedMatch(pattern, name)) positive = true;
      continue;
    }
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (globMatch(body, name)) {
      if (negated) return false;
      positive = true;
    }
  }
  return positive;
}

/** Makes a hashed host field for `name` with the given 20-byte salt (as `ssh-keygen -H`). */
export function hashHostName(name: string, salt: Buffer): string {
  const digest = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${digest}`;
}
