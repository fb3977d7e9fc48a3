/**
 * Online artifact staging: the host downloads the pinned releases and verifies them before
 * installing anything:
 *
 * - k3s: the release binary, checked against the release's `sha256sum-<arch>.txt`, as k3s's
 *   install.sh does (`download_hash`, `download_binary`, `verify_binary`);
 * - gVisor: `runsc` and `containerd-shim-runsc-v1` of a dated release with their `.sha512`
 *   files, checked with `sha512sum -c` as gVisor's install guide does, installed world-readable
 *   and executable (runsc re-executes itself as `nobody`);
 * - Kata: the release tarball that carries the Go runtime (see kata-assets.ts), checked
 *   against a sha256 pinned by Nodeless or given by the user (Kata publishes no checksum
 *   files), unpacked into `/` (→ `/opt/kata`); `zstd` is installed first when the tarball
 *   needs it.
 *
 * @see https://github.com/k3s-io/k3s/blob/master/install.sh — GITHUB_URL, sha256sum-${ARCH}.txt
 * @see https://github.com/k3s-io/k3s/releases
 * @see https://gvisor.dev/docs/user_guide/install/#install-latest — URLs, sha512sum -c, chmod a+rx
 * @see https://github.com/kata-containers/kata-containers/releases
 */
import { shellQuote } from '../../util/shell-quote.ts';
import { INSTALLED_DIR, STAGING_DIR } from '../host.ts';
import { kataAssetName, tarFlag, type Arch } from './kata-assets.ts';
import { ensureToolScript, ZSTD } from './packages.ts';
import { K3S_BIN } from './paths.ts';

export interface OnlineArtifacts {
  /** e.g. `v1.36.3+k3s1`. */
  readonly k3sVersion: string;
  readonly arch: Arch;
  /** Kata release to fetch, with the tarball's sha256 (Kata clusters). */
  readonly kata?: { readonly version: string; readonly sha256: string };
  /** gVisor release (`yyyymmdd.n`) to fetch (gVisor clusters). */
  readonly gvisorRelease?: string;
}

export const K3S_RELEASES = 'https://github.com/k3s-io/k3s/releases/download';
export const KATA_RELEASES = 'https://github.com/kata-containers/kata-containers/releases/download';
export const GVISOR_RELEASES = 'https://storage.googleapis.com/gvisor/releases/release';

/** The gVisor release online installs fetch (a dated release, not `latest`: reproducible). */
export const DEFAULT_GVISOR_RELEASE = '20250715.0';

/** Where a Kata install records the verified tarball's sha256 (the proof of install). */
export const kataMarker = (asset: string): string => `${INSTALLED_DIR}/${asset}.sha256`;

/** Release asset name of the k3s binary per arch (install.sh: `k3s${SUFFIX}`). */
export const k3sAsset = (arch: Arch): string => (arch === 'amd64' ? 'k3s' : `k3s-${arch}`);

/** URLs of the k3s binary and its checksum file; `+` in the tag is URL-encoded. */
export function k3sUrls(version: string, arch: Arch): { binary: string; hashes: string } {
  const tag = encodeURIComponent(version);
  return {
    binary: `${K3S_RELEASES}/${tag}/${k3sAsset(arch)}`,
    hashes: `${K3S_RELEASES}/${tag}/sha256sum-${arch}.txt`,
  };
}

/** URL of the Kata tarball carrying the Go runtime for `version`. */
export function kataUrl(version: string, arch: Arch): string {
  return `${KATA_RELEASES}/${encodeURIComponent(version)}/${kataAssetName(version, arch)}`;
}

/** Base URL of a gVisor release's binaries (`uname -m` names: x86_64, aarch64). */
export function gvisorBaseUrl(release: string, arch: Arch): string {
  return `${GVISOR_RELEASES}/${release}/${arch === 'amd64' ? 'x86_64' : 'aarch64'}`;
}

export const GVISOR_BINARIES = ['runsc', 'containerd-shim-runsc-v1'] as const;

function k3sLines(a: OnlineArtifacts): string[] {
  const { binary, hashes } = k3sUrls(a.k3sVersion, a.arch);
  return [
    `fetch sha256sum-${a.arch}.txt ${shellQuote(hashes)}`,
    `want=$(grep -E ' ${k3sAsset(a.arch)}$' sha256sum-${a.arch}.txt | cut -d' ' -f1)`,
    '[ -n "$want" ] || { echo "no hash for the k3s binary in the checksum file" >&2; exit 1; }',
    `fetch k3s.download ${shellQuote(binary)}`,
    'got=$(sha256sum k3s.download | cut -d" " -f1)',
    '[ "$got" = "$want" ] || { echo "k3s sha256 $got does not match the release ($want)" >&2; rm -f k3s.download; exit 1; }',
    `install -m 0755 -o root -g root k3s.download ${K3S_BIN}`,
    'rm -f k3s.download',
    'echo "k3s verified: $got"',
  ];
}

function gvisorLines(release: string, arch: Arch): string[] {
  const base = gvisorBaseUrl(release, arch);
  return [
    // The .sha512 files name the bare file: fetch into a directory of our own and check there.
    'rm -rf gvisor && install -d -m 0700 gvisor',
    ...GVISOR_BINARIES.flatMap((b) => [
      `fetch gvisor/${b} ${shellQuote(`${base}/${b}`)}`,
      `fetch gvisor/${b}.sha512 ${shellQuote(`${base}/${b}.sha512`)}`,
    ]),
    `( cd gvisor && ${GVISOR_BINARIES.map((b) => `sha512sum -c ${b}.sha512`).join(' && ')} ) >&2 || { echo "gVisor binaries do not match their .sha512 files" >&2; rm -rf gvisor; exit 1; }`,
    ...GVISOR_BINARIES.map(
      (b) => `install -m 0755 -o root -g root gvisor/${b} /usr/local/bin/${b}`,
    ),
    'rm -rf gvisor',
    `echo "gVisor ${release} verified (sha512)"`,
  ];
}

function kataLines(kata: { version: string; sha256: string }, arch: Arch): string[] {
  const asset = kataAssetName(kata.version, arch);
  const marker = kataMarker(asset);
  return [
    ...(asset.endsWith('.zst') ? [ensureToolScript(ZSTD)] : []),
    `fetch kata.download ${shellQuote(kataUrl(kata.version, arch))}`,
    'got=$(sha256sum kata.download | cut -d" " -f1)',
    `[ "$got" = ${shellQuote(kata.sha256)} ] || { echo "Kata ${asset} sha256 $got does not match the pinned hash" >&2; rm -f kata.download; exit 1; }`,
    `tar ${tarFlag(asset)} -xf kata.download -C /`,
    '[ -x /opt/kata/bin/kata-runtime ] || { echo "the Kata tarball has no /opt/kata/bin/kata-runtime" >&2; exit 1; }',
    'rm -f kata.download',
    `install -d -m 0755 ${INSTALLED_DIR}`,
    `echo "$got" > ${shellQuote(marker)}`,
    `echo "kata ${asset} verified: $got"`,
  ];
}

/** The root shell script that downloads, verifies and installs the releases on the host. */
export function onlineDownloadScript(a: OnlineArtifacts): string {
  if (a.kata && !/^[0-9a-f]{64}$/.test(a.kata.sha256))
    throw new Error('the Kata tarball sha256 must be 64 lowercase hex digits');
  return [
    `install -d -m 0700 ${STAGING_DIR}`,
    `cd ${STAGING_DIR}`,
    // install.sh's downloader choice: curl, else wget.
    'if command -v curl >/dev/null 2>&1; then fetch() { curl -fsSL -o "$1" "$2"; }',
    'elif command -v wget >/dev/null 2>&1; then fetch() { wget -qO "$1" "$2"; }',
    'else echo "neither curl nor wget is installed" >&2; exit 1; fi',
    ...k3sLines(a),
    ...(a.gvisorRelease ? gvisorLines(a.gvisorRelease, a.arch) : []),
    ...(a.kata ? kataLines(a.kata, a.arch) : []),
  ].join('\n');
}
