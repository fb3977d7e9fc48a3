/**
 * Online artifact staging: the host downloads the pinned k3s release binary and checks it
 * against the release's `sha256sum-<arch>.txt`, as k3s's install.sh does (`download_hash`,
 * `download_binary`, `verify_binary`); the Kata static tarball is checked against a sha256
 * pinned by Nodeless (Kata releases carry no checksum file for it).
 *
 * @see https://github.com/k3s-io/k3s/blob/master/install.sh — GITHUB_URL, sha256sum-${ARCH}.txt
 * @see https://github.com/k3s-io/k3s/releases
 * @see https://github.com/kata-containers/kata-containers/releases
 */
import { shellQuote } from '../../util/shell-quote.ts';
import { STAGING_DIR } from '../host.ts';
import { K3S_BIN } from './paths.ts';

export interface OnlineArtifacts {
  /** e.g. `v1.33.4+k3s1`. */
  readonly k3sVersion: string;
  readonly arch: 'amd64' | 'arm64';
  /** Kata static tarball to fetch (omit for gVisor clusters). */
  readonly kataVersion?: string;
  readonly kataSha256?: string;
}

export const K3S_RELEASES = 'https://github.com/k3s-io/k3s/releases/download';
export const KATA_RELEASES = 'https://github.com/kata-containers/kata-containers/releases/download';

/** Release asset name of the k3s binary per arch (install.sh: `k3s${SUFFIX}`). */
export const k3sAsset = (arch: OnlineArtifacts['arch']): string =>
  arch === 'amd64' ? 'k3s' : `k3s-${arch}`;

/** URLs of the k3s binary and its checksum file; `+` in the tag is URL-encoded. */
export function k3sUrls(
  version: string,
  arch: OnlineArtifacts['arch'],
): { binary: string; hashes: string } {
  const tag = encodeURIComponent(version);
  return {
    binary: `${K3S_RELEASES}/${tag}/${k3sAsset(arch)}`,
    hashes: `${K3S_RELEASES}/${tag}/sha256sum-${arch}.txt`,
  };
}

export function kataUrl(version: string, arch: OnlineArtifacts['arch']): string {
  return `${KATA_RELEASES}/${encodeURIComponent(version)}/kata-static-${version}-${arch}.tar.xz`;
}

/** The root shell script that downloads, verifies and installs the release on the host. */
export function onlineDownloadScript(a: OnlineArtifacts): string {
  const { binary, hashes } = k3sUrls(a.k3sVersion, a.arch);
  const asset = k3sAsset(a.arch);
  const lines = [
    `install -d -m 0700 ${STAGING_DIR}`,
    `cd ${STAGING_DIR}`,
    // install.sh's downloader choice: curl, else wget.
    'if command -v curl >/dev/null 2>&1; then fetch() { curl -fsSL -o "$1" "$2"; }',
    'elif command -v wget >/dev/null 2>&1; then fetch() { wget -qO "$1" "$2"; }',
    'else echo "neither curl nor wget is installed" >&2; exit 1; fi',
    `fetch sha256sum-${a.arch}.txt ${shellQuote(hashes)}`,
    `want=$(grep -E ' ${asset}$' sha256sum-${a.arch}.txt | cut -d' ' -f1)`,
    '[ -n "$want" ] || { echo "no hash for the k3s binary in the checksum file" >&2; exit 1; }',
    `fetch k3s.download ${shellQuote(binary)}`,
    'got=$(sha256sum k3s.download | cut -d" " -f1)',
    '[ "$got" = "$want" ] || { echo "k3s sha256 $got does not match the release ($want)" >&2; rm -f k3s.download; exit 1; }',
    `install -m 0755 -o root -g root k3s.download ${K3S_BIN}`,
    'rm -f k3s.download',
    'echo "k3s verified: $got"',
  ];
  if (a.kataVersion) {
    if (!a.kataSha256) throw new Error('kataSha256 must be pinned for an online Kata install');
    lines.push(
      `fetch kata.tar.xz ${shellQuote(kataUrl(a.kataVersion, a.arch))}`,
      'got=$(sha256sum kata.tar.xz | cut -d" " -f1)',
      `[ "$got" = ${shellQuote(a.kataSha256)} ] || { echo "Kata tarball sha256 $got does not match the pinned hash" >&2; rm -f kata.tar.xz; exit 1; }`,
      'tar -xJf kata.tar.xz -C /',
      'rm -f kata.tar.xz',
      'echo "kata verified: $got"',
    );
  }
  return lines.join('\n');
}
