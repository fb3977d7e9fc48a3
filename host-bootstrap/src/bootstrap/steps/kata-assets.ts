/**
 * Kata Containers static release assets, per release. Nodeless runs Kata's Go runtime (the
 * `containerd-shim-kata-v2` and `kata-runtime` under `/opt/kata/bin`, which kata-deploy's
 * clh/qemu/fc handlers use), so it needs the tarball that carries it:
 *
 * | release      | asset                                                   |
 * |--------------|---------------------------------------------------------|
 * | < 3.2        | `kata-static-<v>-x86_64.tar.xz` (`aarch64` on arm64)    |
 * | 3.2 – 3.20   | `kata-static-<v>-amd64.tar.xz`                          |
 * | 3.21 – 4.0   | `kata-static-<v>-amd64.tar.zst` (zstd since kata#11707) |
 * | ≥ 4.1        | `kata-go-static-<v>-amd64.tar.zst`: the Go runtime and Firecracker; `kata-static` holds only runtime-rs |
 *
 * Kata publishes no checksum files (kata#1433), so an online install verifies the tarball
 * against a sha256 pinned here or given by the user; none is pinned yet, because no release
 * tarball could be downloaded and hashed where Nodeless is built, and a hash copied from
 * elsewhere would be a claim, not a check.
 *
 * @see https://github.com/kata-containers/kata-containers/releases
 * @see https://github.com/kata-containers/kata-containers/pull/6997 — amd64/arm64 names (3.2)
 * @see https://github.com/kata-containers/kata-containers/pull/11707 — zstd instead of xz
 * @see https://github.com/kata-containers/kata-containers/issues/11714 — 3.20.0 still .tar.xz
 * @see https://github.com/kata-containers/kata-containers/pull/13488 — tarball split by runtime (4.1)
 * @see https://github.com/kata-containers/kata-containers/issues/1433 — no published checksums
 */

export type Arch = 'amd64' | 'arm64';

/** The Kata release an online install fetches unless `spec.artifacts.kataVersion` says else. */
export const DEFAULT_KATA_VERSION = '3.20.0';

/**
 * Known-good sha256 of release tarballs, by version and arch. Empty on purpose (see above):
 * online Kata installs need `spec.artifacts.kataSha256` until a hash is verified here.
 */
export const KATA_SHA256: Readonly<Record<string, Readonly<Partial<Record<Arch, string>>>>> = {};

export interface KataVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** `3.18.0`, `4.1.0`, `3.18.0-STAND-IN` → numbers; undefined when it is no release number. */
export function parseKataVersion(version: string): KataVersion | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:$|[-+])/.exec(version);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

const atLeast = (v: KataVersion, major: number, minor: number): boolean =>
  v.major > major || (v.major === major && v.minor >= minor);

/** True when the release ships the Go runtime in its own `kata-go-static` tarball (≥ 4.1). */
export function splitsGoRuntime(version: string): boolean {
  const v = parseKataVersion(version);
  return v !== undefined && atLeast(v, 4, 1);
}

/** The release asset that carries the Go runtime for `version` and `arch`. */
export function kataAssetName(version: string, arch: Arch): string {
  const v = parseKataVersion(version);
  if (!v) throw new Error(`"${version}" is not a Kata release number`);
  if (atLeast(v, 4, 1)) return `kata-go-static-${version}-${arch}.tar.zst`;
  if (atLeast(v, 3, 21)) return `kata-static-${version}-${arch}.tar.zst`;
  if (atLeast(v, 3, 2)) return `kata-static-${version}-${arch}.tar.xz`;
  return `kata-static-${version}-${arch === 'amd64' ? 'x86_64' : 'aarch64'}.tar.xz`;
}

/** tar's decompression flag for an asset name. */
export const tarFlag = (name: string): string => (name.endsWith('.zst') ? '--zstd' : '-J');

/** The Kata version in a tarball's asset name (`kata-[go-]static-<v>-<arch>.tar.*`). */
export function versionOfAsset(name: string): string | undefined {
  return /^kata-(?:go-)?static-(.+)-(?:amd64|x86_64|arm64|aarch64|s390x|ppc64le)\.tar\.(?:xz|zst)$/.exec(
    name,
  )?.[1];
}
