/**
 * A stop signal always stops web mode, even when a libuv worker thread is stuck in a read that
 * never returns: `process.exit()` would wait for that thread forever (libuv joins its threads at
 * exit), so the process then ends by the signal itself. Without a stuck thread it exits 0.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backendRoot, repoRoot, tempDir } from './support.ts';

const dir = tempDir('stop');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function stopAfterReady(args: string[]) {
  const script = path.join(backendRoot, 'test', 'fixtures', 'stuck-stop.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    void exited.then(() => reject(new Error('exited before ready')));
  });
  const sent = Date.now();
  child.kill('SIGTERM');
  const outcome = await Promise.race([
    exited,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 6_000)),
  ]);
  if (outcome === 'still running') child.kill('SIGKILL');
  return { outcome, ms: Date.now() - sent };
}

describe.runIf(process.platform === 'linux')('stop signals', () => {
  it('exits 0 after a clean close', async () => {
    const { outcome } = await stopAfterReady(['-', 'ok']);
    expect(outcome).toEqual({ code: 0, signal: null });
  });

  it('still stops when a worker thread is stuck in a read (process.exit would hang)', async () => {
    const fifo = path.join(dir, 'stuck-after-close');
    execFileSync('mkfifo', [fifo]);
    const { outcome, ms } = await stopAfterReady([fifo, 'ok']);
    expect(outcome).toEqual({ code: null, signal: 'SIGTERM' });
    expect(ms).toBeLessThan(3_000);
  });

  it('still stops when the close hangs behind a stuck read, at the deadline', async () => {
    const fifo = path.join(dir, 'stuck-close');
    execFileSync('mkfifo', [fifo]);
    const { outcome, ms } = await stopAfterReady([fifo, 'hang']);
    expect(outcome).toEqual({ code: null, signal: 'SIGTERM' });
    expect(ms).toBeLessThan(4_000);
  });
});
