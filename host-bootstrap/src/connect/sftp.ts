/**
 * A promise-shaped SFTP session over one SSH connection (ssh2's `client.sftp()`), with the few
 * operations a resumable upload needs: stat a size, open for writing without truncating,
 * write at explicit offsets, close, unlink. Every operation has a time limit and ends in a
 * typed {@link SshError} when the connection dies under it — nothing waits forever.
 *
 * Files are opened with `WRITE | CREAT` only: no `TRUNC` (the partial content must survive a
 * reopen) and no `APPEND` (OpenSSH maps it to `O_APPEND`, where the kernel ignores the write
 * offset; explicit offsets are what make a late or repeated write harmless).
 *
 * @see https://github.com/mscdex/ssh2/blob/master/SFTP.md — open/write/stat/close/unlink
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-secsh-filexfer-02#section-6.3 — pflags
 * @see https://man.openbsd.org/sftp-server.8
 */
import type { Client, SFTPWrapper, Stats } from 'ssh2';
import ssh2 from 'ssh2';
import { SshError } from '../errors/ssh-error.ts';

/** SFTP v3 open flags (SSH_FXF_*), as ssh2 exports them. */
const OPEN_MODE = ssh2.utils.sftp.OPEN_MODE;
/** SSH_FX_NO_SUCH_FILE. */
const NO_SUCH_FILE = 2;

/** `WRITE | CREAT`: create when missing, keep existing content, honour write offsets. */
export const OPEN_WRITE_AT: number = OPEN_MODE.WRITE | OPEN_MODE.CREAT;

/** An open remote file. */
export type SftpHandle = Buffer;

/** One SFTP channel; `end()` closes it (the SSH connection stays open). */
export interface SftpSession {
  /** Size in bytes of a remote file, or undefined when it does not exist. */
  size(path: string): Promise<number | undefined>;
  /** Opens `path` with SFTP `flags` (e.g. {@link OPEN_WRITE_AT}) and `mode` when created. */
  open(path: string, flags: number, mode?: number): Promise<SftpHandle>;
  /** Writes all of `data` at byte `position` (resolves once the server acknowledged it). */
  write(handle: SftpHandle, data: Buffer, position: number): Promise<void>;
  closeFile(handle: SftpHandle): Promise<void>;
  /** Removes a file; a missing file is not an error. */
  unlink(path: string): Promise<void>;
  end(): void;
}

type Fail = (what: string) => SshError;

const errCode = (err: Error): unknown => (err as Error & { code?: unknown }).code;

/** Wraps an ssh2 SFTP channel; `opMs` limits every operation. */
export function wrapSftp(raw: SFTPWrapper, label: string, opMs: number, lost: Fail): SftpSession {
  let ended = false;
  raw.on('close', () => {
    ended = true;
  });
  const op = <T>(what: string, start: (done: (err: Error | undefined, v: T) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      if (ended) {
        reject(lost(`${what} (the SFTP channel is closed)`));
        return;
      }
      const timer = setTimeout(() => {
        reject(
          new SshError(
            'timeout',
            `SFTP ${what} on ${label} did not finish within ${Math.round(opMs / 1000)} s.`,
            {
              host: label,
              transient: true,
              remedy: 'The machine or the network may be overloaded or cut; check it and retry.',
            },
          ),
        );
      }, opMs);
      try {
        start((err, v) => {
          clearTimeout(timer);
          if (err) reject(ended ? lost(what) : err);
          else resolve(v);
        });
      } catch (err) {
        clearTimeout(timer);
        reject(lost(`${what} (${String(err)})`));
      }
    });

  return {
    size: (path) =>
      op<number | undefined>(`stat ${path}`, (done) =>
        raw.stat(path, (err: Error | undefined, st: Stats) => {
          if (err && errCode(err) === NO_SUCH_FILE) done(undefined, undefined);
          else done(err, err ? undefined : st.size);
        }),
      ),
    open: (path, flags, mode = 0o600) =>
      op<SftpHandle>(`open ${path}`, (done) => raw.open(path, flags, { mode }, done)),
    write: (handle, data, position) =>
      op<undefined>('write', (done) =>
        raw.write(handle, data, 0, data.length, position, (err) =>
          done(err ?? undefined, undefined),
        ),
      ),
    closeFile: (handle) =>
      op<undefined>('close', (done) =>
        raw.close(handle, (err) => done(err ?? undefined, undefined)),
      ),
    unlink: (path) =>
      op<undefined>(`unlink ${path}`, (done) =>
        raw.unlink(path, (err) =>
          done(err && errCode(err) !== NO_SUCH_FILE ? err : undefined, undefined),
        ),
      ),
    end: () => {
      ended = true;
      raw.end();
    },
  };
}

/** Opens an SFTP channel on `client` (the `sftp` subsystem); `opMs` also limits the opening. */
export function openSftp(
  client: Client,
  label: string,
  opMs: number,
  lost: Fail,
): Promise<SftpSession> {
  return new Promise<SftpSession>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(lost('opening an SFTP channel (no answer)'));
    }, opMs);
    try {
      client.sftp((err, raw) => {
        clearTimeout(timer);
        if (settled) {
          if (!err) raw.end();
          return;
        }
        settled = true;
        if (err) {
          reject(
            new SshError('unreachable', `${label} refused an SFTP channel: ${err.message}.`, {
              host: label,
              transient: false,
              remedy:
                'Enable the SFTP subsystem in sshd_config (Debian: "Subsystem sftp /usr/lib/openssh/sftp-server"), then retry.',
            }),
          );
          return;
        }
        resolve(wrapSftp(raw, label, opMs, lost));
      });
    } catch (err) {
      clearTimeout(timer);
      settled = true;
      reject(lost(`opening an SFTP channel (${String(err)})`));
    }
  });
}
