/**
 * Host tools a step needs and the OS may lack (`zstd` for Kata's `.tar.zst` tarballs, `dmsetup`
 * for kata-fc's thin pool): present → nothing; missing → installed with the host's own package
 * manager (apt-get, dnf, zypper — the distributions preflight supports); impossible (no
 * network, another distribution) → the script fails naming the command and how to install it.
 *
 * @see https://manpages.debian.org/bookworm/apt/apt-get.8.en.html
 * @see https://dnf.readthedocs.io/en/latest/command_ref.html
 * @see https://en.opensuse.org/SDB:Zypper_manual
 */
import { shellQuote } from '../../util/shell-quote.ts';

/** A command and the package that ships it, per package manager. */
export interface HostTool {
  readonly command: string;
  readonly apt: string;
  readonly dnf: string;
  readonly zypper: string;
}

export const ZSTD: HostTool = { command: 'zstd', apt: 'zstd', dnf: 'zstd', zypper: 'zstd' };
export const DMSETUP: HostTool = {
  command: 'dmsetup',
  apt: 'dmsetup',
  dnf: 'device-mapper',
  zypper: 'device-mapper',
};

/** Shell lines that make `tool.command` available or exit 1 with a remedy on stderr. */
export function ensureToolScript(tool: HostTool): string {
  const c = shellQuote(tool.command);
  const remedy = `${tool.command} is missing and could not be installed: install it (apt-get install ${tool.apt} / dnf install ${tool.dnf} / zypper install ${tool.zypper}), then Resume.`;
  return [
    `if ! command -v ${c} >/dev/null 2>&1; then`,
    `  if command -v apt-get >/dev/null 2>&1; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${shellQuote(tool.apt)} >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${shellQuote(tool.apt)} >/dev/null 2>&1; } || true`,
    `  elif command -v dnf >/dev/null 2>&1; then dnf install -y -q ${shellQuote(tool.dnf)} >/dev/null 2>&1 || true`,
    `  elif command -v zypper >/dev/null 2>&1; then zypper --non-interactive install ${shellQuote(tool.zypper)} >/dev/null 2>&1 || true`,
    '  fi',
    `  command -v ${c} >/dev/null 2>&1 || { echo ${shellQuote(remedy)} >&2; exit 1; }`,
    'fi',
  ].join('\n');
}
