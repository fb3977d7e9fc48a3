/**
 * Which release artifacts a plan stages: from a bundle, the one Kata tarball that carries the
 * Go runtime (Nodeless's handlers use its shim); online, the pinned releases with what verifies
 * them (the Kata tarball's sha256, which the user gives while none is pinned).
 *
 * @see ./steps/kata-assets.ts — asset names per Kata release
 * @see ./steps/online.ts — the download script
 */
import type { BundleArtifact } from './bundle-manifest.ts';
import { BootstrapError } from './errors.ts';
import type { Sandbox } from './steps/containerd-template.ts';
import {
  DEFAULT_KATA_VERSION,
  KATA_SHA256,
  kataAssetName,
  parseKataVersion,
  splitsGoRuntime,
  versionOfAsset,
} from './steps/kata-assets.ts';
import { DEFAULT_GVISOR_RELEASE, type OnlineArtifacts } from './steps/online.ts';
import type { ArtifactSource } from './types.ts';

/**
 * The bundle's Kata tarball with the Go runtime: `kata-go-static` when present (Kata ≥ 4.1),
 * else a `kata-static` of a release before 4.1 (which still carries it). Throws when the
 * bundle has neither.
 */
export function bundleKataTarball(artifacts: readonly BundleArtifact[]): BundleArtifact {
  const go = artifacts.find((a) => a.role === 'kata-go-static');
  if (go) return go;
  const statics = artifacts.filter((a) => a.role === 'kata-static');
  const old = statics.find((a) => !splitsGoRuntime(versionOfAsset(a.name) ?? ''));
  if (old) return old;
  const split = statics[0];
  if (split) {
    const v = versionOfAsset(split.name) ?? '?';
    throw new BootstrapError(
      `The bundle's ${split.name} has only Kata's runtime-rs: from Kata 4.1 the Go runtime (and Firecracker) ship in kata-go-static-${v}-<arch>.tar.zst.`,
      {
        remedy: `Add kata-go-static-${v}-<arch>.tar.zst to the bundle (manifest.json files), then try again.`,
      },
    );
  }
  throw new BootstrapError('The bundle has no Kata static tarball, but a Kata sandbox is chosen.', {
    remedy: 'Use a bundle with the Kata release tarball, or choose the gVisor sandbox.',
  });
}

/** The online release set of a plan; throws naming the cluster-file field that is missing. */
export function onlineRelease(
  k3sVersion: string,
  sandbox: Sandbox,
  source: Extract<ArtifactSource, { kind: 'online' }>,
): OnlineArtifacts {
  const base = { k3sVersion, arch: 'amd64' as const };
  if (sandbox === 'gvisor')
    return { ...base, gvisorRelease: source.gvisorRelease ?? DEFAULT_GVISOR_RELEASE };
  const version = source.kataVersion ?? DEFAULT_KATA_VERSION;
  if (!parseKataVersion(version)) {
    throw new BootstrapError(
      `spec.artifacts.kataVersion: "${version}" is not a Kata release number.`,
      {
        remedy: `Use a release number like ${DEFAULT_KATA_VERSION}.`,
      },
    );
  }
  const sha256 = source.kataSha256 ?? KATA_SHA256[version]?.[base.arch];
  if (!sha256) {
    const asset = kataAssetName(version, base.arch);
    throw new BootstrapError(
      `spec.artifacts.kataSha256 is required for an online Kata install: Kata publishes no checksums for ${asset}, and Nodeless has none pinned for it.`,
      {
        remedy: `Download ${asset} from the Kata ${version} release yourself, check it, and put its sha256 (sha256sum ${asset}) in spec.artifacts.kataSha256 of the cluster file — or use an airgap bundle, or the gVisor sandbox.`,
      },
    );
  }
  if (!/^[0-9a-f]{64}$/.test(sha256)) {
    throw new BootstrapError('spec.artifacts.kataSha256 must be 64 lowercase hex digits.', {
      remedy: `Copy the first field of sha256sum ${kataAssetName(version, base.arch)}.`,
    });
  }
  return { ...base, kata: { version, sha256 } };
}
