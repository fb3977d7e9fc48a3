/**
 * The sync's worker thread: turns chunk ConfigMaps into rated rows (chunk-rows.ts) while the
 * main thread inserts the rows of the chunks before (chunk-parser.ts `workerChunkParser`).
 * Parsing and rating a million records is ~5 s of JavaScript, inserting them ~6 s of SQLite:
 * side by side instead of one after the other (bench:metering).
 *
 * Messages: {@link ChunkRequest} in, {@link ChunkReply} out, answered in order; rows packed,
 * their buffers transferred.
 *
 * @see https://nodejs.org/api/worker_threads.html
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LedgerFormatError, type LedgerCursor, type Prices } from '@nodeless/cluster-runtime';
import { chunkReader, type ChunkObject, type ChunkRows } from './chunk-rows.ts';

export interface ChunkWorkerData {
  clusterId: string;
  prices: Prices;
}

export interface ChunkRequest {
  id: number;
  cm: ChunkObject;
  from: LedgerCursor;
}

export type ChunkReply =
  | { id: number; rows: ChunkRows }
  | { id: number; formatError: { object: string; message: string } }
  | { id: number; error: string };

const port = parentPort;
if (port) {
  const data = workerData as ChunkWorkerData;
  const read = chunkReader(data.clusterId, data.prices);
  port.on('message', (request: ChunkRequest) => {
    let reply: ChunkReply;
    try {
      const rows = read(request.cm, request.from);
      reply = { id: request.id, rows };
      port.postMessage(reply, [rows.rows.numbers.buffer, rows.rows.texts.buffer]);
      return;
    } catch (e) {
      reply =
        e instanceof LedgerFormatError
          ? { id: request.id, formatError: { object: e.object, message: e.message } }
          : { id: request.id, error: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  });
}
