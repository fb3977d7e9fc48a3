/**
 * Resumable, checksum-verified upload of one bundle file to a host's staging dir over SFTP
 * (DESIGN.md §4 phase 6): `<staging>/<sha256>.part` grows chunk by chunk, then is verified
 * with `sha256sum` on the host and renamed to `<staging>/<sha256>`. After a cut, the next
 * attempt stats the partial file and writes on from its size: bytes already there are never
 * sent again. A file already staged with the right sha256 is not sent at all.
 *
 * The staging dir belongs to the login user (created with sudo, see `ensureStaging`), so the
 * SFTP session runs as that user whether or not it is root; the install step then puts each
 * file in place as root (`install -o root -g root`), so final locations stay root-owned.
 *
 * Every write names its offset (the file is opened without TRUNC and without APPEND): a write
 * repeated or delivered late lands on the same bytes instead of after them. OpenSSH's
 * sftp-server handles requests in order, so the partial file has no holes: its size is what
 * arrived. The final sha256 check catches anything else and starts that file over.
 *
 * @see https://github.com/mscdex/ssh2/blob/master/SFTP.md
 * @see https://man.openbsd.org/sftp-server.8
 * @see https://www.gnu.org/software/coreutils/manual/html_node/sha2-utilities.html
 */
import { createReadStream } from 'node:fs';
import type { SftpSession } from '../connect/connection.ts';
import { isSshError } from '../errors/ssh-error.ts';
import { OPEN_WRITE_AT } from '../connect/sftp.ts';
import { shellQuote } from '../util/shell-quote.ts';
import { BootstrapError } from './errors.ts';
import { STAGING_DIR, ensureStaging, tail, type HostHandle } from './host.ts';
import type { Semaphore } from './semaphore.ts';

/** Counts bytes that actually crossed the wire (tests and the benchmark read it). */
export class TransferMeter {
  sent = 0;
  readonly perHost = new Map<string, number>();

  add(host: string, bytes: number): void {
    this.sent += bytes;
    this.perHost.set(host, (this.perHost.get(host) ?? 0) + bytes);
  }
}

/** Shared by every upload of one run. */
export interface UploadPolicy {
  /** At most this many uploads at once across the run. */
  readonly slots: Semaphore;
  /**
   * Bytes read from the local file at a time; the SFTP writes of one chunk are pipelined,
   * and the next chunk is read only once the host acknowledged them (backpressure).
   */
  readonly chunkBytes: number;
  readonly meter?: TransferMeter;
  /** Limit of each SFTP operation. */
  readonly chunkTimeoutMs?: number;
}

export interface UploadFile {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly localPath: string;
}

/** Bytes per SFTP WRITE request: OpenSSH accepts up to 256 KiB; 32 KiB is what all accept. */
export const SFTP_PIECE = 32 * 1024;

/** Remote path of a staged (complete) file. */
export const stagedPath = (sha256: string): string => `${STAGING_DIR}/${sha256}`;

async function remoteSize(host: HostHandle, path: string): Promise<number> {
  const r = await host.connection.exec(`stat -c %s ${shellQuote(path)} 2>/dev/null || echo -1`);
  const n = Number(r.stdout.trim());
  return Number.isFinite(n) ? n : -1;
}

async function remoteSha(host: HostHandle, path: string): Promise<string> {
  const r = await host.connection.exec(`sha256sum ${shellQuote(path)} | cut -d' ' -f1`, {
    timeoutMs: 120_000,
  });
  if (r.code !== 0) throw new BootstrapError(`sha256sum failed on ${host.name}: ${tail(r.stderr)}`);
  return r.stdout.trim();
}

/** True when the file is already staged with the right sha256. */
export async function isStaged(host: HostHandle, file: UploadFile): Promise<boolean> {
  const final = stagedPath(file.sha256);
  return (
    (await remoteSize(host, final)) === file.size && (await remoteSha(host, final)) === file.sha256
  );
}

/** Where the bytes of one upload go; the SFTP session in the product, a fake in unit tests. */
export interface UploadSink {
  /** Bytes already at the destination (0 when missing); an oversize partial is discarded. */
  prepare(size: number): Promise<number>;
  /** Writes `data` at `position`; resolves once acknowledged. */
  write(data: Buffer, position: number): Promise<void>;
  close(): Promise<void>;
}

/** An {@link UploadSink} writing `part` through `sftp`. */
export function sftpSink(sftp: SftpSession, part: string): UploadSink {
  let handle: Buffer | undefined;
  return {
    async prepare(size) {
      let have = (await sftp.size(part)) ?? 0;
      if (have > size) {
        // Longer than the file: not ours to resume, start over.
        await sftp.unlink(part);
        have = 0;
      }
      handle = await sftp.open(part, OPEN_WRITE_AT, 0o600);
      return have;
    },
    write(data, position) {
      if (!handle) return Promise.reject(new Error('sink not prepared'));
      const h = handle;
      // Pipelined: every piece of the chunk is in flight at once, each at its own offset.
      const pieces: Promise<void>[] = [];
      for (let at = 0; at < data.length; at += SFTP_PIECE) {
        pieces.push(sftp.write(h, data.subarray(at, at + SFTP_PIECE), position + at));
      }
      return Promise.all(pieces).then(() => undefined);
    },
    async close() {
      if (handle) await sftp.closeFile(handle);
      handle = undefined;
    },
  };
}

/**
 * Streams `localPath` from `offset` into `sink` in `chunkBytes` chunks, one acknowledged chunk
 * at a time; `onChunk(bytes, newOffset)` after each. Resolves with the final offset.
 */
export async function streamFrom(
  localPath: string,
  offset: number,
  size: number,
  chunkBytes: number,
  sink: UploadSink,
  onChunk: (bytes: number, offset: number) => void,
): Promise<number> {
  if (offset >= size) return offset;
  const stream = createReadStream(localPath, {
    start: offset,
    end: size - 1,
    highWaterMark: chunkBytes,
  });
  let at = offset;
  // Async iteration pauses the file stream while a chunk is on the wire.
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    await sink.write(chunk, at);
    at += chunk.length;
    onChunk(chunk.length, at);
  }
  return at;
}

async function openSftp(host: HostHandle, policy: UploadPolicy): Promise<SftpSession> {
  if (!host.connection.sftp) {
    throw new BootstrapError(`The connection to ${host.name} cannot transfer files (no SFTP).`, {
      host: host.name,
    });
  }
  return host.connection.sftp(policy.chunkTimeoutMs ?? 60_000);
}

/** SFTP status errors (permission, space) become a BootstrapError; lost connections pass. */
function uploadFailure(host: HostHandle, file: UploadFile, err: unknown): unknown {
  if (!(err instanceof Error) || isSshError(err) || err instanceof BootstrapError) return err;
  return new BootstrapError(`Upload of ${file.name} to ${host.name} failed: ${err.message}`, {
    host: host.name,
    remedy: `Check free space and ownership of ${STAGING_DIR} on ${host.name}, then Resume.`,
  });
}

/**
 * Stages `file` on `host` (resuming a partial upload); resolves with the staged path.
 * `onProgress(bytesOnHost, size)` reports determinate progress.
 */
export async function uploadFile(
  host: HostHandle,
  file: UploadFile,
  policy: UploadPolicy,
  onProgress: (current: number, max: number) => void,
): Promise<string> {
  const final = stagedPath(file.sha256);
  const part = `${final}.part`;
  await ensureStaging(host);
  if (await isStaged(host, file)) {
    onProgress(file.size, file.size);
    return final;
  }
  await policy.slots.use(async () => {
    const sftp = await openSftp(host, policy);
    const sink = sftpSink(sftp, part);
    try {
      const offset = await sink.prepare(file.size);
      onProgress(offset, file.size);
      const end = await streamFrom(
        file.localPath,
        offset,
        file.size,
        policy.chunkBytes,
        sink,
        (bytes, at) => {
          policy.meter?.add(host.name, bytes);
          onProgress(at, file.size);
        },
      );
      if (end < file.size)
        throw new BootstrapError(`${file.localPath} is shorter than the manifest says.`, {
          remedy: 'Rebuild or re-copy the bundle.',
        });
      await sink.close();
    } catch (err) {
      throw uploadFailure(host, file, err);
    } finally {
      sftp.end();
    }
  });
  const sum = await remoteSha(host, part);
  if (sum !== file.sha256) {
    await host.connection.exec(`rm -f ${shellQuote(part)}`);
    throw new BootstrapError(`${file.name} arrived corrupted on ${host.name} (sha256 ${sum}).`, {
      host: host.name,
      remedy:
        'Resume to upload it again; if it repeats, check the bundle files against manifest.json.',
    });
  }
  const mv = await host.connection.exec(`mv -f ${shellQuote(part)} ${shellQuote(final)}`);
  if (mv.code !== 0)
    throw new BootstrapError(`Cannot rename ${part} on ${host.name}: ${tail(mv.stderr)}`, {
      host: host.name,
      remedy: `Check ownership of ${STAGING_DIR} on ${host.name}, then Resume.`,
    });
  return final;
}
