import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './paths.ts';
import { serveConfigFromEnv } from './serve-config.ts';

describe('defaultDataDir', () => {
  it('uses $XDG_DATA_HOME on Linux when it is absolute', () => {
    expect(
      defaultDataDir({ platform: 'linux', env: { XDG_DATA_HOME: '/data/x' }, homedir: '/home/a' }),
    ).toBe('/data/x/nodeless');
  });

  it('falls back to ~/.local/share on Linux (also for a relative XDG_DATA_HOME)', () => {
    expect(defaultDataDir({ platform: 'linux', env: {}, homedir: '/home/a' })).toBe(
      '/home/a/.local/share/nodeless',
    );
    expect(
      defaultDataDir({ platform: 'linux', env: { XDG_DATA_HOME: 'rel' }, homedir: '/home/a' }),
    ).toBe('/home/a/.local/share/nodeless');
  });

  it('uses Application Support on macOS', () => {
    expect(defaultDataDir({ platform: 'darwin', env: {}, homedir: '/Users/a' })).toBe(
      '/Users/a/Library/Application Support/Nodeless',
    );
  });

  it('uses %APPDATA% on Windows', () => {
    expect(
      defaultDataDir({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' },
        homedir: 'C:\\Users\\a',
      }),
    ).toBe('C:\\Users\\a\\AppData\\Roaming\\Nodeless');
  });
});

describe('serveConfigFromEnv', () => {
  const system = (env: Record<string, string>) => ({
    platform: 'linux' as const,
    env,
    homedir: '/home/a',
    cwd: '/work',
  });

  it('defaults: free port, per-user data dir, the given renderer dir', () => {
    expect(serveConfigFromEnv(system({}), '/repo/renderer/dist')).toEqual({
      ok: true,
      config: {
        port: 0,
        dataDir: '/home/a/.local/share/nodeless',
        rendererDir: '/repo/renderer/dist',
        logToStderr: false,
      },
    });
  });

  it('reads NODELESS_PORT, NODELESS_DATA_DIR (relative to cwd) and NODELESS_RENDERER_DIR', () => {
    const result = serveConfigFromEnv(
      system({
        NODELESS_PORT: '8080',
        NODELESS_DATA_DIR: 'data',
        NODELESS_RENDERER_DIR: '/r',
        NODELESS_LOG_STDERR: '1',
      }),
      '/unused',
    );
    expect(result).toEqual({
      ok: true,
      config: { port: 8080, dataDir: '/work/data', rendererDir: '/r', logToStderr: true },
    });
  });

  it.each(['abc', '-1', '65536', '80.5', '1e3'])(
    'rejects NODELESS_PORT=%s with a message naming the variable',
    (value) => {
      const result = serveConfigFromEnv(system({ NODELESS_PORT: value }), '/r');
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toContain('NODELESS_PORT');
        expect(result.error).not.toContain('\n');
      }
    },
  );
});
