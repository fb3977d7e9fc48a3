import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SftpSession } from '../connect/connection.ts';
import { OPEN_WRITE_AT } from '../connect/sftp.ts';
import { SFTP_PIECE, sftpSink, streamFrom } from './upload.ts';

/** An in-memory SFTP server: one file per path, writes at offsets, like sftp-server. */
function fakeSftp(initial: Record<string, Buffer> = {}) {
  const files = new Map(Object.entries(initial));
  const log: string[] = [];
  const writes: Array<{ position: number; length: number }> = [];
  const handles = new Map<string, string>();
  const session: SftpSession = {
    size: (p) => Promise.resolve(files.get(p)?.length),
    open: (p, flags) => {
      log.push(`open ${p} ${flags}`);
      if (!files.has(p)) files.set(p, Buffer.alloc(0));
      const h = Buffer.from(`h${handles.size}`);
      handles.set(h.toString(), p);
      return Promise.resolve(h);
    },
    write: (h, data, position) => {
      const p = handles.get(h.toString()) ?? '';
      const cur = files.get(p) ?? Buffer.alloc(0);
      const next = Buffer.alloc(Math.max(cur.length, position + data.length));
      cur.copy(next);
      data.copy(next, position);
      files.set(p, next);
      writes.push({ position, length: data.length });
      return Promise.resolve();
    },
    closeFile: () => Promise.resolve(),
    unlink: (p) => {
      log.push(`unlink ${p}`);
      files.delete(p);
      return Promise.resolve();
    },
    end: () => undefined,
  };
  return { session, files, log, writes };
}

const dir = mkdtempSync(join(tmpdir(), 'upload-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 251));
const local = join(dir, 'file');
writeFileSync(local, data);

describe('SFTP upload', () => {
  it('sends the whole file in acknowledged chunks, pieces at their own offsets', async () => {
    const fake = fakeSftp();
    const sink = sftpSink(fake.session, '/s/x.part');
    const offset = await sink.prepare(data.length);
    expect(offset).toBe(0);
    expect(fake.log).toEqual([`open /s/x.part ${OPEN_WRITE_AT}`]);
    const chunks: number[] = [];
    const end = await streamFrom(local, 0, data.length, 64 * 1024, sink, (b) => chunks.push(b));
    expect(end).toBe(data.length);
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(data.length);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(64 * 1024);
    expect(Math.max(...fake.writes.map((w) => w.length))).toBeLessThanOrEqual(SFTP_PIECE);
    expect(fake.files.get('/s/x.part')?.equals(data)).toBe(true);
  });

  it('resumes from the partial size and sends only the rest', async () => {
    const have = 70_001;
    const fake = fakeSftp({ '/s/x.part': data.subarray(0, have) });
    const sink = sftpSink(fake.session, '/s/x.part');
    const offset = await sink.prepare(data.length);
    expect(offset).toBe(have);
    let sent = 0;
    await streamFrom(local, offset, data.length, 64 * 1024, sink, (b) => (sent += b));
    expect(sent).toBe(data.length - have);
    expect(Math.min(...fake.writes.map((w) => w.position))).toBe(have);
    expect(fake.files.get('/s/x.part')?.equals(data)).toBe(true);
  });

  it('starts over when the partial file is longer than the file', async () => {
    const fake = fakeSftp({ '/s/x.part': Buffer.alloc(data.length + 1, 1) });
    const sink = sftpSink(fake.session, '/s/x.part');
    expect(await sink.prepare(data.length)).toBe(0);
    expect(fake.log[0]).toBe('unlink /s/x.part');
    await streamFrom(local, 0, data.length, 64 * 1024, sink, () => undefined);
    expect(fake.files.get('/s/x.part')?.equals(data)).toBe(true);
  });

  it('sends nothing when the partial file is already complete', async () => {
    const fake = fakeSftp({ '/s/x.part': data });
    const sink = sftpSink(fake.session, '/s/x.part');
    const offset = await sink.prepare(data.length);
    const end = await streamFrom(local, offset, data.length, 64 * 1024, sink, () => {
      throw new Error('no chunk expected');
    });
    expect(end).toBe(data.length);
    expect(fake.writes).toEqual([]);
  });
});
