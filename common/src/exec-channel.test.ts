import { describe, expect, it } from 'vitest';
import {
  CLOSE,
  decodeFrame,
  encodeClose,
  encodeFrame,
  encodeResize,
  exitStatus,
  parseExitStatus,
  parseResize,
  RESIZE,
  STDOUT,
} from './exec-channel.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('exec channel framing', () => {
  it('prefixes a stream id byte and decodes it back', () => {
    const frame = encodeFrame(STDOUT, 'héllo');
    expect(frame[0]).toBe(1);
    expect(text(frame.subarray(1))).toBe('héllo');
    const back = decodeFrame(frame);
    expect(back?.kind).toBe('data');
    expect(back?.kind === 'data' && [back.stream, text(back.data)]).toEqual([1, 'héllo']);
  });

  it("reads v5's close signal and ignores empty messages", () => {
    expect(Array.from(encodeClose(0))).toEqual([CLOSE, 0]);
    expect(decodeFrame(encodeClose(0))).toEqual({ kind: 'close', stream: 0 });
    expect(decodeFrame(new Uint8Array())).toBeUndefined();
    expect(decodeFrame(Uint8Array.of(CLOSE))).toBeUndefined();
  });

  it('writes resize as upstream TerminalSize JSON and parses only integers', () => {
    const frame = encodeResize(120, 40);
    expect(frame[0]).toBe(RESIZE);
    expect(text(frame.subarray(1))).toBe('{"Width":120,"Height":40}');
    expect(parseResize(frame.subarray(1))).toEqual({ cols: 120, rows: 40 });
    expect(parseResize(new TextEncoder().encode('{"Width":"1","Height":2}'))).toBeUndefined();
    expect(parseResize(new TextEncoder().encode('nope'))).toBeUndefined();
  });

  it('round-trips exit codes through the v4 status (details.causes ExitCode)', () => {
    const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
    expect(exitStatus(['sh'], 0)).toEqual({ metadata: {}, status: 'Success' });
    const failed = exitStatus(['sh', '-c', 'exit 3'], 3);
    expect(failed.reason).toBe('NonZeroExitCode');
    expect(failed.details?.causes).toEqual([{ reason: 'ExitCode', message: '3' }]);
    expect(parseExitStatus(enc(failed))).toEqual({ exitCode: 3 });
    expect(parseExitStatus(enc({ status: 'Success' }))).toEqual({ exitCode: 0 });
    expect(
      parseExitStatus(enc({ status: 'Failure', reason: 'InternalError', message: 'no bash' })),
    ).toEqual({ error: 'no bash' });
    expect(parseExitStatus(new TextEncoder().encode('{'))).toEqual({
      error: 'unreadable status from the API server: {',
    });
  });
});
