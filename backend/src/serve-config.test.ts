import { describe, expect, it } from 'vitest';
import { serveConfigFromEnv } from './serve-config.ts';

const system = (env: Record<string, string>) => ({
  platform: 'linux' as const,
  env,
  homedir: '/home/ada',
  cwd: '/work',
});

describe('serveConfigFromEnv', () => {
  it('defaults to a free port, the per-user data dir and the given renderer dir', () => {
    expect(serveConfigFromEnv(system({}), '/repo/renderer/dist')).toEqual({
      ok: true,
      config: {
        port: 0,
        dataDir: '/home/ada/.local/share/nodeless',
        rendererDir: '/repo/renderer/dist',
        logToStderr: false,
      },
    });
  });

  it('reads every variable, resolving relative dirs against cwd', () => {
    const result = serveConfigFromEnv(
      system({
        NODELESS_PORT: '8080',
        NODELESS_DATA_DIR: 'data',
        NODELESS_RENDERER_DIR: '/srv/ui',
        NODELESS_LOG_STDERR: '1',
      }),
      '/unused',
    );
    expect(result).toEqual({
      ok: true,
      config: { port: 8080, dataDir: '/work/data', rendererDir: '/srv/ui', logToStderr: true },
    });
  });

  it.each(['abc', '-1', '65536', '80.5', '1e3'])('rejects NODELESS_PORT=%s naming it', (port) => {
    const result = serveConfigFromEnv(system({ NODELESS_PORT: port }), '/r');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain('NODELESS_PORT');
      expect(result.error).toContain(`"${port}"`);
      expect(result.error).not.toContain('\n');
    }
  });

  it('rejects a NODELESS_LOG_STDERR that is not 0 or 1', () => {
    const result = serveConfigFromEnv(system({ NODELESS_LOG_STDERR: 'yes' }), '/r');
    expect(result).toEqual({ ok: false, error: expect.stringContaining('NODELESS_LOG_STDERR') });
  });
});
