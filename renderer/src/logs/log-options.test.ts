import { describe, expect, it } from 'vitest';
import { LogBuffer } from './log-buffer.ts';
import { logFileName, logText } from './log-download.ts';
import {
  DEFAULT_CHOICE,
  endedText,
  logsInput,
  shortTime,
  streamKey,
  type LogTarget,
} from './log-options.ts';

const pod: LogTarget = { kind: 'pod', namespace: 'ns', pod: 'web-1', containers: ['app'] };
const workload: LogTarget = {
  kind: 'workload',
  namespace: 'ns',
  workload: { kind: 'Deployment', name: 'web' },
  containers: [],
};

describe('logsInput', () => {
  it('asks for timestamps always and follows; leaves defaults out', () => {
    expect(logsInput('c1', pod, DEFAULT_CHOICE)).toEqual({
      clusterId: 'c1',
      namespace: 'ns',
      pod: 'web-1',
      timestamps: true,
      follow: true,
      tailLines: 1000,
    });
  });

  it('carries container, previous, tail "all" and since; a workload instead of a pod', () => {
    const input = logsInput('c1', workload, {
      container: 'sidecar',
      previous: true,
      tailLines: undefined,
      sinceSeconds: 300,
    });
    expect(input).toEqual({
      clusterId: 'c1',
      namespace: 'ns',
      workload: { kind: 'Deployment', name: 'web' },
      container: 'sidecar',
      previous: true,
      sinceSeconds: 300,
      timestamps: true,
      follow: true,
    });
  });

  it('keys the stream on what restarts it', () => {
    const a = streamKey('c1', pod, DEFAULT_CHOICE);
    expect(streamKey('c1', pod, { ...DEFAULT_CHOICE })).toBe(a);
    expect(streamKey('c1', pod, { ...DEFAULT_CHOICE, previous: true })).not.toBe(a);
  });
});

describe('shortTime', () => {
  it('cuts RFC3339Nano to milliseconds', () => {
    expect(shortTime('2026-12-02T17:01:38.123456789Z')).toBe('2026-12-02T17:01:38.123Z');
    expect(shortTime('2026-12-02T17:01:38Z')).toBe('2026-12-02T17:01:38.000Z');
    expect(shortTime(undefined)).toBe('');
  });
});

describe('download', () => {
  it('writes the kept lines, with timestamps and a pod prefix when asked', () => {
    const b = new LogBuffer(2);
    b.append([
      { pod: 'a', container: 'app', time: 't0', text: 'dropped' },
      { pod: 'a', container: 'app', time: 't1', text: 'one' },
      { pod: 'b', container: 'app', text: 'two' },
    ]);
    expect(logText(b, { timestamps: false, prefix: false })).toBe('one\ntwo\n');
    expect(logText(b, { timestamps: true, prefix: true })).toBe(
      '[pod/a/app] t1 one\n[pod/b/app] two\n',
    );
  });

  it('names the file safely, .log at the end', () => {
    expect(logFileName('web-1', 'app', false)).toBe('web-1-app.log');
    expect(logFileName('web-1', undefined, true)).toBe('web-1-previous.log');
    expect(logFileName('a/b c', undefined, false)).toBe('a_b_c.log');
  });
});

describe('endedText', () => {
  it('says the end of a followed stream with its reason, a previous log’s end plainly', () => {
    expect(endedText('the container exited.', false, false)).toBe(
      'The stream ended: the container exited.',
    );
    expect(endedText('pod deleted', false, true)).toBe('The stream ended: pod deleted (no lines).');
    expect(endedText('not following', true, false)).toBe('End of the previous container’s log.');
    expect(endedText('not following', true, true)).toBe('The previous container wrote no lines.');
  });
});
