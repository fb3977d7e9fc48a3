/**
 * containerd 2's config loading, reduced to what decides whether its CRI runtime plugin
 * comes up and which runtime handlers it serves:
 *
 * - the root file, then every `imports` entry (relative to the importing file; a `*` is a
 *   glob, matches in lexical order), each loaded once; a file that fails to decode stops
 *   containerd (the process exits);
 * - a drop-in whose `version` is higher than the root's is refused; a file older than
 *   version 3 is migrated: the CRI plugin's `io.containerd.grpc.v1.cri` `containerd`
 *   table moves under `io.containerd.cri.v1.runtime` (keys already there win);
 * - files merge in load order, table by table; a later non-empty value wins;
 * - the CRI runtime plugin starts from containerd's defaults (`default_runtime_name =
 *   "runc"`, a `runc` runtime), decodes its table on top and validates: an empty
 *   `default_runtime_name`, or one without a `runtimes.<name>` table, fails the plugin —
 *   containerd keeps running, without a CRI service.
 *
 * @see https://github.com/containerd/containerd/blob/main/cmd/containerd/server/config/config.go (LoadConfigWithPlugins, resolveImports, mergeConfig)
 * @see https://github.com/containerd/containerd/blob/main/plugins/cri/runtime/plugin.go (configMigration, "invalid plugin config")
 * @see https://github.com/containerd/containerd/blob/main/internal/cri/config/config.go (ValidateRuntimeConfig)
 * @see https://github.com/containerd/containerd/blob/main/internal/cri/config/config_unix.go (DefaultRuntimeConfig)
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeToml, isTable, TomlDecodeError, type TomlTable, type TomlValue } from './toml.ts';

/** containerd 2's `version.ConfigVersion`. */
export const CONFIG_VERSION = 3;
export const CRI_RUNTIME_PLUGIN = 'io.containerd.cri.v1.runtime';
const CRI_V2_PLUGIN = 'io.containerd.grpc.v1.cri';

/** A line containerd logs (logrus fields), for containerd.log. */
export interface ContainerdLogLine {
  readonly level: 'info' | 'warning' | 'error';
  readonly msg: string;
  readonly fields?: Record<string, string | number>;
}

/** containerd exits: the config cannot be loaded. `message` is what it prints. */
export class ConfigLoadError extends Error {
  constructor(
    message: string,
    /** What containerd logged before giving up. */
    readonly log: readonly ContainerdLogLine[] = [],
  ) {
    super(message);
  }
}

export interface LoadedConfig {
  readonly files: readonly string[];
  readonly plugins: TomlTable;
  readonly log: readonly ContainerdLogLine[];
}

/** `filepath.Glob` for a pattern whose `*` sits in the last path element. */
function glob(pattern: string): string[] {
  const dir = path.dirname(pattern);
  const re = new RegExp(
    `^${path
      .basename(pattern)
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  );
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => re.test(n))
      .sort()
      .map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

const isEmpty = (v: unknown): boolean =>
  v === '' ||
  v === false ||
  v === 0 ||
  (Array.isArray(v) && v.length === 0) ||
  (isTable(v) && Object.keys(v).length === 0);

/** mergo.Merge(to, from, WithOverride) on the plugins map: tables merge, non-empty values win. */
export function mergeTables(to: TomlTable, from: TomlTable): TomlTable {
  for (const [k, v] of Object.entries(from)) {
    const cur = to[k];
    if (isTable(cur) && isTable(v)) mergeTables(cur, v);
    else if (cur === undefined || !isEmpty(v)) to[k] = v;
  }
  return to;
}

/** The CRI runtime plugin's ConfigMigration for a file older than version 3. */
function migrateCri(plugins: TomlTable): void {
  const src = plugins[CRI_V2_PLUGIN];
  if (!isTable(src)) return;
  const dst = isTable(plugins[CRI_RUNTIME_PLUGIN])
    ? (plugins[CRI_RUNTIME_PLUGIN] as TomlTable)
    : {};
  const moved = new Set(['snapshotter', 'disable_snapshot_annotations', 'discard_unpacked_layers']);
  const srcContainerd = src['containerd'];
  if (isTable(srcContainerd)) {
    const c = isTable(dst['containerd']) ? (dst['containerd'] as TomlTable) : {};
    for (const [k, v] of Object.entries(srcContainerd)) if (!moved.has(k) && !(k in c)) c[k] = v;
    dst['containerd'] = c;
  }
  plugins[CRI_RUNTIME_PLUGIN] = dst;
}

/** Loads `root` and its imports as containerd does; throws {@link ConfigLoadError}. */
export function loadConfig(root: string): LoadedConfig {
  const log: ContainerdLogLine[] = [];
  const loaded = new Set<string>();
  const pending = [root];
  const plugins: TomlTable = {};
  let rootVersion = 0;
  while (pending.length > 0) {
    const file = pending.shift() ?? '';
    if (loaded.has(file)) continue;
    let doc: TomlTable;
    try {
      doc = decodeToml(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      if (e instanceof TomlDecodeError) {
        if (e.row !== undefined)
          log.push({
            level: 'error',
            msg: 'Failure unmarshaling TOML',
            fields: { column: e.column ?? 0, file, row: e.row },
          });
        throw new ConfigLoadError(e.message, log);
      }
      throw new ConfigLoadError(`open ${file}: no such file or directory`, log);
    }
    const version = typeof doc['version'] === 'number' ? doc['version'] : 0;
    if (rootVersion === 0) rootVersion = version;
    if (version > rootVersion)
      throw new ConfigLoadError(
        `drop-in config version ${version} higher than root config version ${rootVersion}`,
        log,
      );
    const filePlugins = isTable(doc['plugins']) ? doc['plugins'] : {};
    if (version < CONFIG_VERSION) {
      migrateCri(filePlugins);
      log.push({
        level: 'warning',
        msg: `Configuration migrated from version ${version}, use \`containerd config migrate\` to avoid migration`,
      });
    }
    mergeTables(plugins, filePlugins);
    const imports = Array.isArray(doc['imports']) ? (doc['imports'] as TomlValue[]) : [];
    for (const i of imports) {
      if (typeof i !== 'string') continue;
      const p = path.isAbsolute(i) ? path.normalize(i) : path.join(path.dirname(file), i);
      pending.push(...(p.includes('*') ? glob(p) : [p]));
    }
    loaded.add(file);
  }
  if (rootVersion > CONFIG_VERSION)
    throw new ConfigLoadError(
      `failed to load TOML from ${root}: expected containerd config version equal to or less than \`${CONFIG_VERSION}\`, got \`${rootVersion}\``,
    );
  return { files: [...loaded], plugins, log };
}

/** The CRI runtime plugin's verdict: its runtime handlers, or why it failed to load. */
export type CriVerdict =
  | { readonly ok: true; readonly handlers: string[]; readonly defaultRuntime: string }
  | { readonly ok: false; readonly error: string };

/** containerd's DefaultRuntimeConfig with the plugin's table decoded on top, then validated. */
export function criRuntime(plugins: TomlTable): CriVerdict {
  const table = isTable(plugins[CRI_RUNTIME_PLUGIN])
    ? (plugins[CRI_RUNTIME_PLUGIN] as TomlTable)
    : {};
  const containerd = isTable(table['containerd']) ? table['containerd'] : {};
  const name =
    typeof containerd['default_runtime_name'] === 'string'
      ? containerd['default_runtime_name']
      : 'runc';
  const runtimes = new Set(['runc']);
  if (isTable(containerd['runtimes']))
    for (const k of Object.keys(containerd['runtimes'])) runtimes.add(k);
  const invalid = (why: string): CriVerdict => ({
    ok: false,
    error: `invalid plugin config: ${why}`,
  });
  if (name === '') return invalid('`default_runtime_name` is empty');
  if (!runtimes.has(name))
    return invalid(
      `no corresponding runtime configured in \`containerd.runtimes\` for \`containerd\` \`default_runtime_name = "${name}"\``,
    );
  return { ok: true, handlers: [...runtimes].sort(), defaultRuntime: name };
}
