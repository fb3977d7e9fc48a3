/**
 * Where the sync turns chunk ConfigMaps into rows: on the main thread (small syncs — a worker
 * takes ~100 ms to start) or in a worker thread (large ones: parsing overlaps inserting).
 * Either way the same chunk-rows.ts does the work and answers come in the order asked.
 *
 * The worker's file sits beside this module: `chunk-worker.mjs` in the desktop bundle
 * (scripts/build-backend.mjs builds it next to main.mjs, which is then this module's URL), or
 * `chunk-worker.ts` when run from source — loaded through tsx's `tsImport`, as a worker's own
 * `--import` hooks do not apply to its entry file on Node 20.
 *
 * @see https://nodejs.org/api/worker_threads.html#new-workerfilename-options
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LedgerFormatError, type LedgerCursor, type Prices } from '@nodeless/cluster-runtime';
import { chunkObject, chunkReader, type ChunkObject, type ChunkRows } from './chunk-rows.ts';
import type { ChunkReply, ChunkRequest, ChunkWorkerData } from './chunk-worker.ts';

export interface ChunkParser {
  /** The chunk's records after `from`, rated. Rejects with LedgerFormatError for a bad chunk. */
  read(cm: ChunkObject, from: LedgerCursor): Promise<ChunkRows>;
  close(): Promise<void>;
}

/** Parses on the calling thread. */
export function inThreadChunkParser(clusterId: string, prices: Prices): ChunkParser {
  const read = chunkReader(clusterId, prices);
  return {
    read: (cm, from) => {
      try {
        return Promise.resolve(read(cm, from));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
    close: () => Promise.resolve(),
  };
}

const fromSource = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(
  fromSource ? './chunk-worker.ts' : './chunk-worker.mjs',
  import.meta.url,
);

/** A worker running `chunk-worker` from its built file, or its source through tsx. */
function startWorker(workerData: ChunkWorkerData): Worker {
  if (!fromSource) return new Worker(WORKER_URL, { workerData });
  // tsx's API as ES module (its CommonJS build cannot find its own files from a worker): the
  // package maps `tsx/esm/api` to index.cjs for require and index.mjs beside it for import.
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const boot = `import(${JSON.stringify(pathToFileURL(api).href)}).then((tsx) => tsx.tsImport(${JSON.stringify(WORKER_URL.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { eval: true, workerData });
}

/** Parses in a worker thread of its own, until closed. */
export function workerChunkParser(clusterId: string, prices: Prices): ChunkParser {
  const data: ChunkWorkerData = { clusterId, prices };
  const worker = startWorker(data);
  const waiting = new Map<
    number,
    { resolve: (r: ChunkRows) => void; reject: (e: Error) => void }
  >();
  let next = 0;
  let failed: Error | undefined;
  const failAll = (error: Error) => {
    failed ??= error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (reply: ChunkReply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if ('rows' in reply) w.resolve(reply.rows);
    else if ('formatError' in reply) w.reject(formatError(reply.formatError));
    else w.reject(new Error(`ledger sync worker: ${reply.error}`));
  });
  worker.on('error', (e) => failAll(new Error(`ledger sync worker failed: ${e.message}`)));
  worker.on('exit', (code) => failAll(new Error(`ledger sync worker exited (code ${code})`)));
  return {
    read(cm, from) {
      if (failed) return Promise.reject(failed);
      const id = next++;
      return new Promise<ChunkRows>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const request: ChunkRequest = { id, cm: chunkObject(cm), from };
        worker.postMessage(request);
      });
    },
    async close() {
      failed ??= new Error('ledger sync worker closed');
      await worker.terminate();
    },
  };
}

/** The worker's LedgerFormatError again, same object and message. */
function formatError(e: { object: string; message: string }): LedgerFormatError {
  const error = new LedgerFormatError(e.object, '');
  error.message = e.message;
  return error;
}
