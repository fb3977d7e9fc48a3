/**
 * Resumable, checksum-verified upload of one bundle file to a host's staging dir:
 * `<staging>/<sha256>.part` grows chunk by chunk, then is verified with `sha256sum` on the
 * host and renamed to `<staging>/<sha256>`. After a cut, the next attempt stats the partial
 * file and appends from its size: bytes already there are never sent again. A file already
 * staged with the right sha256 is not sent at all.
 *
 * Transport: chunks go base64-encoded on the login user's stdin, decoded and written at their
 * own offset (`base64 -d | dd seek=<offset> conv=notrunc`), over the same SSH session as every
 * other command — no second subsystem, works through jump hosts and sudo-only hosts alike.
 * Writing at explicit offsets matters after a cut: a writer orphaned by the dead session may
 * flush its buffer late, and then it rewrites the same bytes at the same place instead of
 * appending them after the resumed data. The final sha256 check catches anything else.
 *
 * @see https://www.gnu.org/software/coreutils/manual/html_node/base64-invocation.html
 * @see https://www.gnu.org/software/coreutils/manual/html_node/dd-invocation.html — seek_bytes
 * @see https://www.gnu.org/software/coreutils/manual/html_node/sha2-utilities.html
 */
import { open } from 'node:fs/promises';
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
  /** Raw bytes per chunk (each chunk is one command). */
  readonly chunkBytes: number;
  readonly meter?: TransferMeter;
  /** Per-chunk command timeout. */
  readonly chunkTimeoutMs?: number;
}

export interface UploadFile {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly localPath: string;
}

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

/** The command that writes one chunk (stdin: base64) at `offset` of `part`. */
export function chunkCommand(part: string, offset: number): string {
  return `base64 -d | dd of=${shellQuote(part)} bs=65536 oflag=seek_bytes seek=${offset} conv=notrunc status=none`;
}

/** True when the file is already staged with the right sha256. */
export async function isStaged(host: HostHandle, file: UploadFile): Promise<boolean> {
  const final = stagedPath(file.sha256);
  return (
    (await remoteSize(host, final)) === file.size && (await remoteSha(host, final)) === file.sha256
  );
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
    let offset = await remoteSize(host, part);
    if (offset < 0 || offset > file.size) {
      // No partial file, or one longer than the file: start over.
      await host.connection.exec(`rm -f ${shellQuote(part)} && : > ${shellQuote(part)}`);
      offset = 0;
    }
    onProgress(offset, file.size);
    const handle = await open(file.localPath, 'r');
    try {
      const buffer = Buffer.alloc(policy.chunkBytes);
      while (offset < file.size) {
        const { bytesRead } = await handle.read(buffer, 0, policy.chunkBytes, offset);
        if (bytesRead === 0)
          throw new BootstrapError(`${file.localPath} is shorter than the manifest says.`);
        const chunk = buffer.subarray(0, bytesRead);
        const r = await host.connection.exec(chunkCommand(part, offset), {
          stdin: chunk.toString('base64'),
          timeoutMs: policy.chunkTimeoutMs ?? 60_000,
        });
        if (r.code !== 0) {
          throw new BootstrapError(
            `Upload of ${file.name} to ${host.name} failed: ${tail(r.stderr)}`,
            {
              host: host.name,
              remedy: `Check free space under ${STAGING_DIR} on ${host.name}, then Resume.`,
            },
          );
        }
        policy.meter?.add(host.name, bytesRead);
        offset += bytesRead;
        onProgress(offset, file.size);
      }
    } finally {
      await handle.close();
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
  await host.connection.exec(`mv -f ${shellQuote(part)} ${shellQuote(final)}`);
  return final;
}
