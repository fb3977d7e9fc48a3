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
import { packColumns, type PackedColumns } from '../store/usage-record-columns.ts';
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

/** A chunk's rows as they cross the thread (store/usage-record-columns.ts packColumns). */
export type PackedChunkRows = Omit<ChunkRows, 'rows'> & { packed: PackedColumns };

export type ChunkReply =
  | { id: number; rows: PackedChunkRows }
  | { id: number; formatError: { object: string; message: string } }
  | { id: number; error: string };

const port = parentPort;
if (port) {
  const data = workerData as ChunkWorkerData;
  const read = chunkReader(data.clusterId, data.prices);
  port.on('message', (request: ChunkRequest) => {
    let reply: ChunkReply;
    try {
      const { rows, ...chunk } = read(request.cm, request.from);
      const packed = packColumns(rows);
      reply = { id: request.id, rows: { ...chunk, packed } };
      port.postMessage(reply, [packed.numbers.buffer, packed.texts.buffer]);
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
