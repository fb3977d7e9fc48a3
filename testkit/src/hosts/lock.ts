/**
 * A cross-process lock file (O_EXCL create, owner pid inside, stale owners taken over).
 * Several test suites and CLI calls may bring fleets up at once; building the base root file
 * system and allocating address ranges must not race.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` while holding the lock at `file`. Waits at most `timeoutMs` (polling every
 * 200 ms) for another live owner to release it.
 */
export async function withLock<T>(
  file: string,
  fn: () => Promise<T>,
  timeoutMs = 15 * 60_000,
): Promise<T> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await fs.open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
      if (!owner || !alive(owner)) {
        // A crashed owner left the file behind; remove and retry the exclusive create.
        await fs.rm(file, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for lock ${file} held by pid ${owner}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(file, { force: true });
  }
}
