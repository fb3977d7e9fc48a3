/**
 * Concrete aliases of the user's `~/.ssh/config` for "Import from ~/.ssh/config". Values are
 * computed with the `ssh-config` library (the same one the engine resolves targets with), so
 * what is listed is what a connection will use: first obtained value wins, wildcard sections
 * apply. Wildcard and negated patterns are not hosts and are left out; `Match` blocks are
 * never evaluated (no `exec` from a config file).
 *
 * @see https://man.openbsd.org/ssh_config — Host, HostName, User, Port, IdentityFile, ProxyJump
 * @see https://github.com/cyjake/ssh-config#compute — `compute()`
 */
import SSHConfig from 'ssh-config';
import type { SshConfigHostView } from './types.ts';

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function patterns(value: string | { val: string }[]): string[] {
  return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value.map((v) => v.val);
}

/** Lists the concrete `Host` aliases of a config text, in file order, each once. */
export function sshConfigHosts(text: string): SshConfigHostView[] {
  const config = SSHConfig.parse(text);
  const aliases: string[] = [];
  for (const line of config) {
    if (!('param' in line) || line.param.toLowerCase() !== 'host') continue;
    for (const p of patterns(line.value)) {
      if (/[*?!]/.test(p) || aliases.includes(p)) continue;
      aliases.push(p);
    }
  }
  return aliases.map((alias) => {
    const c = config.compute(alias, { ignoreCase: true, matchExec: false });
    const port = Number(first(c.port));
    const proxyJump = first(c.proxyjump);
    const identityFile = first(c.identityfile);
    const user = first(c.user);
    return {
      alias,
      hostName: first(c.hostname)?.replaceAll('%h', alias) ?? alias,
      ...(user ? { user } : {}),
      ...(Number.isInteger(port) && port > 0 ? { port } : {}),
      ...(identityFile && identityFile.toLowerCase() !== 'none' ? { identityFile } : {}),
      ...(proxyJump && proxyJump.toLowerCase() !== 'none' ? { proxyJump } : {}),
    };
  });
}
