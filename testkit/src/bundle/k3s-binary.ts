/**
 * The stand-in `k3s` file, self-extracting as the real one is: k3s's binary carries the
 * binaries it runs and unpacks them into `<data-dir>/data/<hash>/` on first start. Ours is a
 * POSIX sh launcher followed by a zstd-compressed tar holding the stand-in's script and — when
 * the bundle carries them — the real control plane built from Go modules (kube-apiserver,
 * kube-controller-manager, kube-scheduler, etcd, KWOK, metrics-server, kubectl). The launcher
 * exports where they are (`NODELESS_STANDIN_BIN_DIR`) and runs the script with Node.
 *
 * The payload tar is cached by content (testkit/.cache/bundle-payload), since several suites
 * write bundles and compressing half a gigabyte of binaries takes seconds.
 *
 * @see https://docs.k3s.io/architecture — "the k3s binary … self-extracting"
 * @see https://github.com/k3s-io/k3s/blob/master/pkg/data/data.go — data/<hash> extraction
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CommandRunner } from '../hosts/run.ts';
import { standinBinaryName } from '../standin/k3s/control-plane-backend.ts';

/** Control plane binaries the payload carries, when given. */
export const PAYLOAD_BINARIES = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
  'metrics-server',
  'kubectl',
] as const;

const MARKER = '__NODELESS_PAYLOAD__';

/** The launcher; `payloadLine` is the 1-based line where the payload starts. */
export function launcher(hash: string, payloadLine: number): string {
  return `#!/bin/sh
# Nodeless testkit STAND-IN for k3s (not the real binary; see testkit/README.md).
# Like k3s, it unpacks what it carries into <data-dir>/data/<hash>/ on first run; the data
# dir is /var/lib/rancher/k3s for root and ~/.rancher/k3s for anyone else, as k3s's.
set -e
payload() { tail -n +${payloadLine} "$0" | zstd -dcq; }
case "$1" in
  --version|-v|version)
    # A version needs no unpacking (nor root): run the script alone from a temp file.
    T=$(mktemp)
    payload | tar -xO ./k3s.js > "$T"
    rc=0; node "$T" "$@" || rc=$?
    rm -f "$T"
    exit $rc ;;
esac
if [ "$(id -u)" = 0 ]; then DEFAULT_DIR=/var/lib/rancher/k3s; else DEFAULT_DIR="$HOME/.rancher/k3s"; fi
DATA_DIR="\${K3S_DATA_DIR:-$DEFAULT_DIR}"
DIR="$DATA_DIR/data/${hash}"
if [ ! -f "$DIR/.unpacked" ]; then
  TMP="$DIR.tmp.$$"
  rm -rf "$TMP"
  mkdir -p "$TMP"
  payload | tar -x -C "$TMP"
  : > "$TMP/.unpacked"
  mv "$TMP" "$DIR" 2>/dev/null || rm -rf "$TMP"
fi
export NODELESS_STANDIN_BIN_DIR="$DIR/bin"
# k3s names its processes k3s-server / k3s-agent (what \`ss -p\` and ps show holding k3s's
# ports): run node under that name through a link.
NAME=k3s
case "$1" in server|agent) NAME="k3s-$1" ;; esac
ln -sf "$(command -v node)" "$DIR/$NAME"
exec "$DIR/$NAME" "$DIR/k3s.js" "$@"
${MARKER}
`;
}

async function sha256File(file: string): Promise<string> {
  return createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
}

/**
 * Writes the self-extracting `k3s` to `out`. `binDir` holds the control plane binaries, or is
 * undefined for a stand-in that serves kube-sim.
 */
export async function writeK3sBinary(o: {
  out: string;
  script: string;
  binDir?: string;
  cache: string;
  run: CommandRunner;
}): Promise<void> {
  const key = createHash('sha256').update(o.script).update('names:k3s-prefixed');
  if (o.binDir)
    for (const b of PAYLOAD_BINARIES)
      key.update(b).update(await sha256File(path.join(o.binDir, b)));
  const hash = key.digest('hex').slice(0, 16);
  const payload = path.join(o.cache, 'bundle-payload', `${hash}.tar.zst`);
  try {
    await fs.access(payload);
  } catch {
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'k3s-payload-'));
    try {
      await fs.writeFile(path.join(work, 'k3s.js'), o.script, { mode: 0o755 });
      await fs.mkdir(path.join(work, 'bin'));
      if (o.binDir)
        for (const b of PAYLOAD_BINARIES)
          await fs.copyFile(path.join(o.binDir, b), path.join(work, 'bin', standinBinaryName(b)));
      await fs.mkdir(path.dirname(payload), { recursive: true });
      const tmp = `${payload}.${process.pid}`;
      // Level 3: the binaries compress well enough; level 19 would take minutes per bundle.
      await o.run(
        'sh',
        [
          '-c',
          'set -e; tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$1" -cf - . | zstd -q -3 -T0 > "$2"',
          'tar',
          work,
          tmp,
        ],
        { timeoutMs: 600_000 },
      );
      await fs.rename(tmp, payload);
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }
  const head = launcher(hash, 0);
  const line = head.split('\n').length;
  const text = launcher(hash, line);
  const fd = await fs.open(o.out, 'w', 0o755);
  try {
    await fd.write(text);
    await fd.write(await fs.readFile(payload));
  } finally {
    await fd.close();
  }
  await fs.chmod(o.out, 0o755);
}
