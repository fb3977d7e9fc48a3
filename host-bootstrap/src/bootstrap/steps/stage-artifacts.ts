/**
 * Artifact staging (DESIGN.md §4 phase 6), installed to the locations upstream documents:
 * `/usr/local/bin/k3s` (0755), `/var/lib/rancher/k3s/agent/images/<archive>` (k3s's airgap
 * images and the meter's image archive: k3s imports every archive there when it starts, and
 * watches the directory while it runs), the Kata static tarball unpacked into `/` (→
 * `/opt/kata`), gVisor's `runsc` and shim into `/usr/local/bin`.
 *
 * Bundle mode uploads each file resumably (see upload.ts) and installs it; online mode has the
 * host download the pinned release and verify it against the release's checksum file, and
 * uploads what no release carries (the meter's image archive) the bundle way.
 * Each file is judged by its installed result (sha256 of the binary, or a marker holding the
 * sha256 of the unpacked tarball), so a resume skips files that are already in place.
 *
 * @see https://docs.k3s.io/installation/airgap#install-k3s
 * @see https://docs.k3s.io/installation/airgap#manually-deploy-images-method
 * @see https://docs.k3s.io/import-images#pre-import-images
 * @see https://github.com/kata-containers/kata-containers/blob/main/docs/install/README.md
 * @see https://gvisor.dev/docs/user_guide/install/
 */
import { shellQuote } from '../../util/shell-quote.ts';
import type { BundleArtifact } from '../bundle-manifest.ts';
import { INSTALLED_DIR, fileState, probe, root, type HostHandle } from '../host.ts';
import type { Step, StepContext } from '@nodeless/common';
import { uploadFile, type UploadPolicy } from '../upload.ts';
import { kataAssetName, tarFlag } from './kata-assets.ts';
import {
  GVISOR_BINARIES,
  kataMarker,
  onlineDownloadScript,
  type OnlineArtifacts,
} from './online.ts';
import { ensureToolScript, ZSTD } from './packages.ts';
import { K3S_BIN } from './paths.ts';

export const IMAGES_DIR = '/var/lib/rancher/k3s/agent/images';
export { INSTALLED_DIR };

/** Where an artifact ends up, and how it is installed from the staged file. */
export interface InstallTarget {
  /** File whose sha256 proves the install (the installed binary, or the marker). */
  readonly proof: string;
  /** Expected mode of `proof` when it is the installed file itself. */
  readonly mode?: string;
  /** Shell commands installing `$SRC` (the staged file). */
  readonly script: string;
}

/** Upstream's install location of each artifact role; undefined = not installed here. */
export function installTarget(a: {
  name: string;
  role: BundleArtifact['role'];
}): InstallTarget | undefined {
  const n = shellQuote(a.name);
  switch (a.role) {
    case 'k3s':
      return {
        proof: K3S_BIN,
        mode: '755',
        script: `install -m 0755 -o root -g root "$SRC" ${K3S_BIN}`,
      };
    case 'k3s-images':
    case 'meter-image':
      return {
        proof: `${IMAGES_DIR}/${a.name}`,
        mode: '644',
        script: `install -D -m 0644 -o root -g root "$SRC" ${IMAGES_DIR}/${n}`,
      };
    case 'kata-static':
    case 'kata-go-static': {
      const marker = kataMarker(a.name);
      return {
        proof: marker,
        script: [
          // Kata ≥ 3.21 ships .tar.zst: tar needs the zstd program for --zstd.
          ...(a.name.endsWith('.zst') ? [ensureToolScript(ZSTD)] : []),
          `tar ${tarFlag(a.name)} -xf "$SRC" -C /`,
          '[ -x /opt/kata/bin/kata-runtime ]',
          `install -d -m 0755 ${INSTALLED_DIR}`,
          `sha256sum "$SRC" | cut -d' ' -f1 > ${shellQuote(marker)}`,
        ].join('\n'),
      };
    }
    case 'runsc':
    case 'runsc-shim':
      return {
        proof: `/usr/local/bin/${a.name}`,
        mode: '755',
        script: `install -m 0755 -o root -g root "$SRC" /usr/local/bin/${n}`,
      };
    default:
      return undefined;
  }
}

/** True when the artifact is installed (sha256 of the proof file, or the marker's content). */
async function installed(host: HostHandle, a: BundleArtifact, t: InstallTarget): Promise<boolean> {
  if (t.mode === undefined) {
    const r = await probe(host, `cat ${shellQuote(t.proof)} 2>/dev/null`);
    return r.stdout.trim() === a.sha256;
  }
  const s = await fileState(host, t.proof);
  return s !== undefined && s.sha256 === a.sha256 && s.mode === t.mode;
}

/** Key and title of a staging step (bundle mode: `stage-artifacts`). */
export interface StageNaming {
  readonly key: string;
  readonly title: string;
}
const BUNDLE_STAGING: StageNaming = { key: 'stage-artifacts', title: 'Stage artifacts on' };
/** Online mode's upload of the image archives beside the download step. */
export const IMAGE_STAGING: StageNaming = { key: 'stage-images', title: 'Upload images to' };

/** Bundle-mode staging: the artifacts this host needs, uploaded with `policy`. */
export function stageBundleStep(
  host: HostHandle,
  artifacts: readonly BundleArtifact[],
  policy: UploadPolicy,
  naming: StageNaming = BUNDLE_STAGING,
): Step {
  const wanted = artifacts.flatMap((a) => {
    const t = installTarget(a);
    return t ? [{ a, t }] : [];
  });
  // Small files first: a cut during the big one then leaves as much installed as possible.
  wanted.sort((x, y) => x.a.size - y.a.size);
  const total = wanted.reduce((n, w) => n + w.a.size, 0);
  const missing = async () => {
    const out = [];
    for (const w of wanted) if (!(await installed(host, w.a, w.t))) out.push(w);
    return out;
  };
  return {
    key: `${naming.key}@${host.name}`,
    phase: 'stage-artifacts',
    host: host.name,
    title: `${naming.title} ${host.name}`,
    check: async () => {
      const m = await missing();
      return m.length === 0
        ? { satisfied: true, detail: `All ${wanted.length} artifacts installed` }
        : {
            satisfied: false,
            detail: `Will upload and install ${m.map((w) => w.a.name).join(', ')}`,
          };
    },
    apply: async (ctx: StepContext) => {
      let done = 0;
      for (const w of wanted) {
        if (await installed(host, w.a, w.t)) {
          done += w.a.size;
          ctx.progress(done, total, `${w.a.name} already installed`);
          continue;
        }
        const base = done;
        const staged = await uploadFile(host, w.a, policy, (cur) =>
          ctx.progress(base + cur, total, `Uploading ${w.a.name}`),
        );
        await root(
          host,
          `Installing ${w.a.name}`,
          `SRC=${shellQuote(staged)}\n${w.t.script}\nrm -f "$SRC"`,
          {
            timeoutMs: 300_000,
          },
        );
        ctx.log(`installed ${w.a.name} (sha256 ${w.a.sha256})`);
        done += w.a.size;
        ctx.progress(done, total, `Installed ${w.a.name}`);
      }
    },
    verify: async () => {
      const m = await missing();
      return m.length === 0
        ? { satisfied: true, detail: `All ${wanted.length} artifacts installed and verified` }
        : { satisfied: false, detail: `Not installed: ${m.map((w) => w.a.name).join(', ')}` };
    },
  };
}

/** Online-mode staging: the host downloads the pinned releases and verifies them. */
export function stageOnlineStep(host: HostHandle, release: OnlineArtifacts): Step {
  const kataProof = release.kata
    ? kataMarker(kataAssetName(release.kata.version, release.arch))
    : undefined;
  const wanted = [
    `k3s ${release.k3sVersion}`,
    ...(release.kata ? [`Kata ${release.kata.version}`] : []),
    ...(release.gvisorRelease ? [`gVisor ${release.gvisorRelease}`] : []),
  ].join(', ');
  const check = async () => {
    const r = await probe(host, `${K3S_BIN} --version 2>/dev/null | head -1`);
    const missing: string[] = [];
    if (!r.stdout.includes(release.k3sVersion)) missing.push(`k3s ${release.k3sVersion}`);
    if (release.kata && kataProof) {
      const m = await probe(host, `cat ${shellQuote(kataProof)} 2>/dev/null`);
      if (m.stdout.trim() !== release.kata.sha256) missing.push(`Kata ${release.kata.version}`);
    }
    if (release.gvisorRelease) {
      const g = await probe(
        host,
        GVISOR_BINARIES.map((b) => `[ -x /usr/local/bin/${b} ]`).join(' && '),
      );
      if (g.code !== 0) missing.push(`gVisor ${release.gvisorRelease}`);
    }
    return missing.length === 0
      ? { satisfied: true, detail: `${wanted} installed` }
      : { satisfied: false, detail: `Will download ${missing.join(', ')}` };
  };
  return {
    key: `stage-artifacts@${host.name}`,
    phase: 'stage-artifacts',
    host: host.name,
    title: `Download artifacts on ${host.name}`,
    check,
    apply: async (ctx) => {
      const out = await root(host, 'Downloading the release', onlineDownloadScript(release), {
        timeoutMs: 900_000,
        remedy: `Check that ${host.name} reaches github.com${release.gvisorRelease ? ' and storage.googleapis.com' : ''} (or use an airgap bundle).`,
      });
      for (const line of out.split('\n').filter(Boolean)) ctx.log(line);
    },
    verify: check,
  };
}
