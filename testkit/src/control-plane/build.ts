/**
 * Builds the real Kubernetes control plane from Go modules (DESIGN.md §6): kube-apiserver,
 * kube-controller-manager, kube-scheduler and kubectl from `k8s.io/kubernetes` at the version
 * k3s v1.36 embeds, etcd from `go.etcd.io/etcd/server/v3`, KWOK from `sigs.k8s.io/kwok`, and
 * metrics-server from its own module (it pins older staging modules than Kubernetes 1.36).
 *
 * The modules live in `testkit/control-plane/` (go.mod, go.sum committed). Binaries are cached
 * under `testkit/.cache/control-plane/<key>/bin`, where the key hashes both modules' go.mod
 * and go.sum, our etcd entry point, the Go version and the build recipe, so a change of any of
 * them builds anew and nothing stale is reused. One build at a time across processes (a lock
 * file): the background build `scripts/dev.sh` starts and a test that needs the binaries
 * share it. Builds are `CGO_ENABLED=0 -trimpath` with the upstream version ldflags, so
 * `--version` and `kubectl version` tell the truth.
 *
 * @see https://github.com/kubernetes-sigs/scheduler-plugins/blob/master/go.mod — the replace pattern
 * @see https://github.com/kubernetes/kubernetes/blob/master/hack/lib/version.sh — version ldflags
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLock } from '../hosts/lock.ts';
import { cacheRoot, locksDir } from '../hosts/paths.ts';

/** The module directory, committed next to the TypeScript that drives it. */
export const MODULE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../control-plane',
);
const METRICS_MODULE_DIR = path.join(MODULE_DIR, 'metrics-server');

/** Versions the binaries report; they must match go.mod (a unit test checks). */
export const VERSIONS = {
  kubernetes: 'v1.36.3',
  etcd: 'v3.6.8',
  kwok: 'v0.8.0',
  metricsServer: 'v0.8.0',
} as const;

/** Bump when the recipe (flags, ldflags, targets) changes without a go.mod change. */
const RECIPE = 3;

export const COMPONENTS = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
  'metrics-server',
] as const;
export type Component = (typeof COMPONENTS)[number];

/** Go packages of the main module's binaries. */
const MAIN_TARGETS: Record<Exclude<Component, 'metrics-server'>, string> = {
  etcd: './cmd/etcd',
  'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
  'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
  'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler',
  kubectl: 'k8s.io/kubernetes/cmd/kubectl',
  kwok: 'sigs.k8s.io/kwok/cmd/kwok',
};

/** Progress as data (Rancher Desktop style). */
export interface BuildProgress {
  readonly current: number;
  readonly max: number;
  readonly description: string;
}

/** Written next to the binaries when a build completes (the benchmark reports it). */
export interface BuildRecord {
  readonly builtAt: string;
  readonly seconds: number;
}

/** The record of the cached build, if any. */
export async function buildRecord(
  binaries: ControlPlaneBinaries,
): Promise<BuildRecord | undefined> {
  try {
    return JSON.parse(
      await fs.readFile(path.join(path.dirname(binaries.binDir), '.complete'), 'utf8'),
    ) as BuildRecord;
  } catch {
    return undefined;
  }
}

export interface ControlPlaneBinaries {
  readonly binDir: string;
  readonly key: string;
  /** True when this call compiled them (a cold or changed build). */
  readonly built: boolean;
  path(component: Component): string;
}

export interface BuildOptions {
  readonly onProgress?: (p: BuildProgress) => void;
  readonly cache?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** `-X` flags that make each binary report its upstream version. */
export function versionLdflags(buildDate: string): {
  kubernetes: string;
  metricsServer: string;
  kwok: string;
} {
  const k = VERSIONS.kubernetes;
  const [major, minor] = k.slice(1).split('.');
  const kube = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']
    .flatMap((pkg) => [
      `-X ${pkg}.gitVersion=${k}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
      `-X ${pkg}.buildDate=${buildDate}`,
    ])
    .join(' ');
  return {
    kubernetes: `-s -w ${kube}`,
    kwok: `-s -w ${kube} -X sigs.k8s.io/kwok/pkg/consts.Version=${VERSIONS.kwok.slice(1)}`,
    metricsServer: `-s -w -X k8s.io/client-go/pkg/version.gitVersion=${VERSIONS.metricsServer} -X k8s.io/client-go/pkg/version.buildDate=${buildDate}`,
  };
}

interface Exec {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  onStderrLine?: (line: string) => void,
): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      const text = b.toString();
      stderr = (stderr + text).slice(-20_000);
      if (!onStderrLine) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) onStderrLine(l);
    });
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? new Error(
              `${cmd} is not installed: the control plane is built from Go modules and needs Go ${goRequirement()} (see README "Test substrate")`,
            )
          : e,
      ),
    );
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const goRequirement = () => '1.26 or newer';

async function fileHash(files: readonly string[], extra: string): Promise<string> {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f);
    h.update(await fs.readFile(f));
  }
  h.update(extra);
  return h.digest('hex').slice(0, 16);
}

/** The cache key and where the binaries of this key live. */
export async function buildKey(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ key: string; goVersion: string }> {
  const go = await run('go', ['env', 'GOVERSION'], MODULE_DIR, buildEnv(env));
  if (go.code !== 0) throw new Error(`go env GOVERSION failed: ${go.stderr.trim()}`);
  const goVersion = go.stdout.trim();
  const key = await fileHash(
    [
      path.join(MODULE_DIR, 'go.mod'),
      path.join(MODULE_DIR, 'go.sum'),
      path.join(MODULE_DIR, 'cmd/etcd/main.go'),
      path.join(METRICS_MODULE_DIR, 'go.mod'),
      path.join(METRICS_MODULE_DIR, 'go.sum'),
    ],
    `${goVersion}\nrecipe ${RECIPE}`,
  );
  return { key, goVersion };
}

function buildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...env,
    CGO_ENABLED: '0',
    GOFLAGS: '-trimpath -buildvcs=false -mod=readonly',
    // The machine's Go builds go.mod's `go 1.26.0`; never fetch another toolchain silently.
    GOTOOLCHAIN: env['GOTOOLCHAIN'] ?? 'local',
  };
}

const binaries = (binDir: string, key: string, built: boolean): ControlPlaneBinaries => ({
  binDir,
  key,
  built,
  path: (c) => path.join(binDir, c),
});

/** Counts the non-standard packages a build compiles (the progress bar's max). */
async function countPackages(
  cwd: string,
  targets: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const r = await run(
    'go',
    ['list', '-deps', '-f', '{{if not .Standard}}{{.ImportPath}}{{end}}', ...targets],
    cwd,
    env,
  );
  if (r.code !== 0) throw new Error(`go list failed in ${cwd}:\n${r.stderr.trim().slice(-4000)}`);
  return r.stdout.split('\n').filter(Boolean).length;
}

/**
 * Returns the cached binaries, building them first when this key has none. Safe to call from
 * several processes at once: the first builds, the others wait on the lock and reuse.
 */
export async function ensureControlPlane(
  options: BuildOptions = {},
): Promise<ControlPlaneBinaries> {
  const env = buildEnv(options.env ?? process.env);
  const cache = options.cache ?? cacheRoot(options.env);
  const { key } = await buildKey(options.env);
  const root = path.join(cache, 'control-plane');
  const dir = path.join(root, key);
  const binDir = path.join(dir, 'bin');
  const complete = path.join(dir, '.complete');
  const ready = async () =>
    fs.access(complete).then(
      () => true,
      () => false,
    );
  if (await ready()) return binaries(binDir, key, false);

  return withLock(
    path.join(locksDir(cache), 'control-plane.lock'),
    async () => {
      if (await ready()) return binaries(binDir, key, false);
      const progress = options.onProgress ?? (() => undefined);
      const started = Date.now();
      const tmp = `${dir}.tmp-${process.pid}`;
      await fs.rm(tmp, { recursive: true, force: true });
      await fs.mkdir(path.join(tmp, 'bin'), { recursive: true });

      progress({ current: 0, max: 1, description: 'downloading Go modules' });
      for (const m of [MODULE_DIR, METRICS_MODULE_DIR]) {
        const d = await run('go', ['mod', 'download'], m, env);
        if (d.code !== 0)
          throw new Error(`go mod download failed in ${m}:\n${d.stderr.trim().slice(-4000)}`);
      }
      const info = await run(
        'go',
        ['list', '-m', '-f', '{{.Time}}', 'k8s.io/kubernetes'],
        MODULE_DIR,
        env,
      );
      // The release's commit time, so the binaries are reproducible (no wall clock inside).
      const buildDate = new Date(info.stdout.trim() || 0).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const flags = versionLdflags(buildDate);

      const mainTargets = Object.values(MAIN_TARGETS);
      const max =
        (await countPackages(MODULE_DIR, mainTargets, env)) +
        (await countPackages(
          METRICS_MODULE_DIR,
          ['sigs.k8s.io/metrics-server/cmd/metrics-server'],
          env,
        ));
      let current = 0;
      const onLine = (line: string) => {
        // `go build -v` names each package it compiles; cached ones are not printed.
        if (!line || line.startsWith('#') || line.includes(' ')) return;
        current = Math.min(max, current + 1);
        progress({ current, max, description: `compiling ${line}` });
      };
      const build = async (
        cwd: string,
        ldflags: string,
        out: string,
        targets: readonly string[],
      ) => {
        const r = await run(
          'go',
          ['build', '-v', '-ldflags', ldflags, '-o', out, ...targets],
          cwd,
          env,
          onLine,
        );
        if (r.code !== 0)
          throw new Error(`go build failed in ${cwd}:\n${r.stderr.trim().slice(-6000)}`);
      };
      const outDir = `${path.join(tmp, 'bin')}${path.sep}`;
      // KWOK embeds its own Kubernetes version vars; building it apart keeps its ldflags apart.
      await build(
        MODULE_DIR,
        flags.kubernetes,
        outDir,
        mainTargets.filter((t) => !t.includes('kwok')),
      );
      await build(MODULE_DIR, flags.kwok, outDir, [MAIN_TARGETS.kwok]);
      await build(METRICS_MODULE_DIR, flags.metricsServer, outDir, [
        'sigs.k8s.io/metrics-server/cmd/metrics-server',
      ]);
      for (const c of COMPONENTS) await fs.access(path.join(tmp, 'bin', c));
      const record: BuildRecord = {
        builtAt: new Date().toISOString(),
        seconds: Math.round((Date.now() - started) / 1000),
      };
      await fs.writeFile(path.join(tmp, '.complete'), `${JSON.stringify(record)}\n`);
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rename(tmp, dir);
      // Older keys are stale by construction: keep only the current build.
      for (const entry of await fs.readdir(root)) {
        if (entry !== key) await fs.rm(path.join(root, entry), { recursive: true, force: true });
      }
      progress({ current: max, max, description: 'control plane built' });
      return binaries(binDir, key, true);
    },
    // A cold build on two cores takes minutes; a waiter must outlast it.
    60 * 60_000,
  );
}
