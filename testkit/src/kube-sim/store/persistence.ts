/**
 * `--state <dir>` persistence: the store as one JSON snapshot (`<dir>/kube-sim-state.json`),
 * written debounced after changes and on stop (temp file + rename, so a crash never leaves a torn
 * file), and loaded on start.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreSnapshot } from './memory-store.ts';

export interface Persistence {
  /** Schedules a write (debounced). */
  changed(): void;
  /** Writes now if anything changed since the last write. */
  flush(): Promise<void>;
}

export const STATE_FILE = 'kube-sim-state.json';

export async function loadSnapshot(dir: string): Promise<StoreSnapshot | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as StoreSnapshot;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function createPersistence(
  dir: string,
  snapshot: () => StoreSnapshot,
  debounceMs = 1000,
): Persistence {
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const write = async (): Promise<void> => {
    if (!dirty) return;
    dirty = false;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, STATE_FILE);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(snapshot()), { mode: 0o600 });
    await rename(tmp, file);
  };
  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    writing = writing.then(write, write);
    return writing;
  };
  return {
    changed() {
      dirty = true;
      if (timer !== undefined) return;
      timer = setTimeout(() => void flush().catch(() => undefined), debounceMs);
      timer.unref();
    },
    flush,
  };
}
