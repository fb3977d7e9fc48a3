/**
 * The ledger's chunks from a cursor, parsed and rated, in sequence order: listed a page at a
 * time (a full chunk is ≤ 512 KiB, so memory stays bounded by a few pages whatever the ledger's
 * size) and handed to a chunk parser (chunk-parser.ts) two pages ahead of the reader, so that a
 * worker parses the next chunks while the sync inserts these.
 *
 * A ledger of one page is parsed on this thread; once a second page exists (more than
 * `pageSize` chunks: a large sync) the rest goes to a worker thread.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 */
import {
  LEDGER_LABEL,
  LEDGER_NAMESPACE,
  type KubeClient,
  type LedgerCursor,
  type Prices,
} from '@nodeless/cluster-runtime';
import { inThreadChunkParser, workerChunkParser, type ChunkParser } from './chunk-parser.ts';
import type { ChunkObject, ChunkRows } from './chunk-rows.ts';
import { CONFIG_MAP } from './ledger-deps.ts';

export interface ChunkStreamOptions {
  pageSize: number;
  /** `auto`: a worker from the second page on; `thread`: never. */
  parseIn: 'auto' | 'thread';
  signal?: AbortSignal | undefined;
  /** Told once when the stream moves to a worker thread. */
  onWorker?: () => void;
}

interface ListPage {
  items: ChunkObject[];
  continue?: string | undefined;
}

/**
 * Every chunk from `from` on, each with its records after `from` (chunks after its seq whole).
 * Stopping early (break, or a chunk that does not parse) closes the worker.
 */
export async function* chunkStream(
  client: KubeClient,
  clusterId: string,
  prices: Prices,
  from: LedgerCursor,
  options: ChunkStreamOptions,
): AsyncGenerator<ChunkRows> {
  const list = (continueToken: string | undefined): Promise<ListPage> =>
    settledLater(
      client.list<ChunkObject>(CONFIG_MAP, {
        namespace: LEDGER_NAMESPACE,
        labelSelector: `${LEDGER_LABEL}=records`,
        limit: options.pageSize,
        ...(continueToken ? { continue: continueToken } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
  let parser: ChunkParser = inThreadChunkParser(clusterId, prices);
  let worker = false;
  const reads: Promise<ChunkRows>[] = [];
  let nextPage: Promise<ListPage> | undefined = list(undefined);
  /** Sends a page's chunks to the parser; answers the next page's listing, if any. */
  const submitPage = async (
    page: Promise<ListPage>,
  ): Promise<{ next: Promise<ListPage> | undefined }> => {
    const { items, continue: token } = await page;
    const next = token ? list(token) : undefined;
    if (token && !worker && options.parseIn === 'auto') {
      worker = true;
      parser = workerChunkParser(clusterId, prices);
      options.onWorker?.();
    }
    // The API lists by name; names are zero-padded sequence numbers, so this is seq order.
    for (const cm of items) reads.push(settledLater(parser.read(cm, from)));
    return { next };
  };
  try {
    for (;;) {
      while (nextPage && reads.length < 2 * options.pageSize)
        ({ next: nextPage } = await submitPage(nextPage));
      const read = reads.shift();
      if (!read) return;
      yield await read;
    }
  } finally {
    await parser.close();
  }
}

/**
 * `promise`, marked handled: a read or page the reader never reaches (it stopped at an earlier
 * chunk) must not become an unhandled rejection; awaiting it still throws.
 */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
