/**
 * k3s's image preload, enforced: when containerd is up, k3s imports every archive in
 * `<data-dir>/agent/images` (`.tar`, `.tar.gz`/`.tgz`, `.tar.zst`/`.tzst`, …) with containerd's
 * `client.Import(…, WithAllPlatforms(true), WithSkipMissing())` and names each image from its
 * index entry. A file it cannot import is logged (`Error encountered while importing <file>:
 * failed to import images from <file>: <cause>`) and k3s runs on without those images, so pods
 * using them never start. The stand-in reads each archive as containerd's importer does and
 * refuses what would leave a broken or nameless image:
 *
 * - not a tar / cut short → the tar reader's error;
 * - neither `oci-layout` nor Docker's `manifest.json` → `unrecognized image format`;
 * - `oci-layout` of another version → `unsupported OCI version`; no `index.json` → `missing
 *   index.json in OCI layout 1.0.0`;
 * - a blob whose sha256 is not its file name (containerd stores content by its real digest, so
 *   the digest the manifest names is then simply absent), a manifest, config or layer the
 *   archive lacks, or a size that differs from its descriptor → `content digest …: not found`
 *   (containerd's wording; with WithSkipMissing real k3s would import a name pointing at nothing);
 * - a name that is not a tagged reference (k3s's retag step fails: `failed to parse tag for
 *   image …`), e.g. only `org.opencontainers.image.ref.name: 0.1.0` without
 *   `io.containerd.image.name`.
 *
 * @see https://github.com/k3s-io/k3s/blob/main/pkg/agent/containerd/containerd.go (preloadFile, retagImages)
 * @see https://github.com/containerd/containerd/blob/main/core/images/archive/importer.go (ImportIndex)
 * @see https://github.com/containerd/containerd/blob/main/client/import.go (Import, imageName)
 * @see https://github.com/rancher/wharfie/blob/main/pkg/tarfile/tarfile.go (SupportedExtensions)
 * @see https://docs.k3s.io/import-images
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readTar } from './tar.ts';

/** An image as the kubelet reports it in `Node.status.images`. */
export interface ImportedImage {
  readonly names: readonly string[];
  readonly sizeBytes: number;
}

export type ImportResult =
  | { readonly ok: true; readonly images: readonly ImportedImage[] }
  | { readonly ok: false; readonly error: string };

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}
interface Content {
  readonly data: Buffer;
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
/** wharfie's SupportedExtensions (k3s accepts these and `.txt` pull lists). */
export const ARCHIVE_SUFFIXES = [
  '.tar',
  '.tar.lz4',
  '.tar.bz2',
  '.tbz',
  '.tar.gz',
  '.tgz',
  '.tar.zst',
  '.tzst',
];

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** docker's NamedTagged: `[domain/]path:tag` in lower case (what k3s's retag parses). */
const TAGGED =
  /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*:[\w][\w.-]{0,127}$/;

class ImportError extends Error {}

function parseJson<T>(data: Buffer, what: string): T {
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch (e) {
    throw new ImportError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function get(store: Map<string, Content>, d: Descriptor): Buffer {
  const c = store.get(d.digest);
  if (!c || c.data.length !== d.size)
    throw new ImportError(`content digest ${d.digest}: not found`);
  return c.data;
}

/** Walks one index entry: the manifest (or nested index), its config and its layers. */
function walk(store: Map<string, Content>, d: Descriptor): number {
  const data = get(store, d);
  if (d.mediaType && INDEX_TYPES.has(d.mediaType)) {
    const idx = parseJson<{ manifests?: Descriptor[] }>(data, `index ${d.digest}`);
    return (idx.manifests ?? []).reduce((n, m) => n + walk(store, m), 0);
  }
  const m = parseJson<{ config?: Descriptor; layers?: Descriptor[] }>(data, `manifest ${d.digest}`);
  if (!m.config) throw new ImportError(`manifest ${d.digest} has no config`);
  let size = get(store, m.config).length;
  for (const layer of m.layers ?? []) size += get(store, layer).length;
  return size;
}

/** docker's ParseNormalizedNamed: `alpine:3` → `docker.io/library/alpine:3`. */
export function normalizeDocker(ref: string): string {
  const [first = '', ...rest] = ref.split('/');
  const hasDomain =
    rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasDomain) return ref;
  return rest.length === 0 ? `docker.io/library/${ref}` : `docker.io/${ref}`;
}

function named(name: string): string {
  if (!TAGGED.test(name)) {
    throw new ImportError(
      `failed to retag images: failed to parse tag for image ${name || '<none>'}`,
    );
  }
  return name;
}

/** Imports one uncompressed archive as containerd + k3s would; never throws. */
export function importArchive(archive: Buffer): ImportResult {
  try {
    const store = new Map<string, Content>();
    const files = new Map<string, Buffer>();
    let layout: { imageLayoutVersion?: string } | undefined;
    let dockerManifest:
      Array<{ Config: string; RepoTags?: string[]; Layers: string[] }> | undefined;
    for (const entry of readTar(archive)) {
      if (entry.type !== '0' && entry.type !== '7') continue;
      const name = path.posix.normalize(entry.name).replace(/^\.\//, '');
      if (name === 'oci-layout') layout = parseJson(entry.data, `untar oci layout "${entry.name}"`);
      else if (name === 'manifest.json')
        dockerManifest = parseJson(entry.data, `untar manifest "${entry.name}"`);
      else {
        files.set(name, entry.data);
        store.set(sha256(entry.data), { data: entry.data });
      }
    }
    if (layout) {
      if (layout.imageLayoutVersion !== '1.0.0') {
        throw new ImportError(`unsupported OCI version ${String(layout.imageLayoutVersion)}`);
      }
      const indexJson = files.get('index.json');
      if (!indexJson) throw new ImportError('missing index.json in OCI layout 1.0.0');
      for (const [name, data] of files) {
        const m = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(name);
        if (m && sha256(data) !== `sha256:${m[1] ?? ''}`) {
          throw new ImportError(
            `content digest sha256:${m[1] ?? ''}: not found (${name} holds ${sha256(data)})`,
          );
        }
      }
      const index = parseJson<{ manifests?: Descriptor[] }>(indexJson, 'index.json');
      const images = (index.manifests ?? []).map((d) => {
        const name = named(
          d.annotations?.['io.containerd.image.name'] ??
            d.annotations?.['org.opencontainers.image.ref.name'] ??
            '',
        );
        const sizeBytes = walk(store, d);
        return { names: [name, `${name.replace(/:[^:/]+$/, '')}@${d.digest}`], sizeBytes };
      });
      return { ok: true, images };
    }
    if (!dockerManifest) throw new ImportError('unrecognized image format');
    const images = dockerManifest.flatMap((m) => {
      const config = files.get(m.Config);
      if (!config) throw new ImportError(`image config "${m.Config}" not found`);
      let sizeBytes = config.length;
      for (const l of m.Layers) {
        const layer = files.get(l);
        if (!layer) throw new ImportError(`failed to resolve layers: layer "${l}" not found`);
        sizeBytes += layer.length;
      }
      return (m.RepoTags ?? []).map((t) => ({ names: [named(normalizeDocker(t))], sizeBytes }));
    });
    return { ok: true, images };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The archive's tar bytes, decompressed by its suffix as k3s's opener does. */
export function openArchive(file: string): Buffer {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tar')) return fs.readFileSync(file);
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return gunzipSync(fs.readFileSync(file));
  if (lower.endsWith('.tar.zst') || lower.endsWith('.tzst')) {
    const r = spawnSync('zstd', ['-dc', file], { maxBuffer: 4 * 1024 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`zstd: ${r.error?.message ?? r.stderr.toString().trim()}`);
    return r.stdout;
  }
  throw new Error(`unsupported by the stand-in: ${path.basename(file)}`);
}

export type ImagesLog = (level: 'info' | 'error', msg: string) => void;

/** k3s's preload at start: every archive in `dir`, in name order; the images it imported. */
export function preloadImages(dir: string, log: ImagesLog): ImportedImage[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: ImportedImage[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if (!ARCHIVE_SUFFIXES.some((s) => name.toLowerCase().endsWith(s))) continue;
    if (!fs.statSync(file).isFile()) continue;
    const started = Date.now();
    log('info', `Importing images from ${file}`);
    let result: ImportResult;
    try {
      result = importArchive(openArchive(file));
    } catch (e) {
      result = { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    if (!result.ok) {
      log(
        'error',
        `Error encountered while importing ${file}: failed to import images from ${file}: ${result.error}`,
      );
      continue;
    }
    for (const image of result.images) {
      log('info', `Imported ${image.names[0] ?? ''}`);
      out.push(image);
    }
    log('info', `Imported images from ${file} in ${Date.now() - started}ms`);
  }
  return out;
}
