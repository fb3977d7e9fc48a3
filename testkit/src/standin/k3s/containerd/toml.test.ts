import { describe, expect, it } from 'vitest';
import { decodeToml, TomlDecodeError } from './toml.ts';

/** What containerd prints (go-toml v2's duplicate tracker, wrapped by loadConfigFile). */
function refusal(text: string): string {
  try {
    decodeToml(text);
  } catch (e) {
    if (e instanceof TomlDecodeError) return e.message;
    throw e;
  }
  return 'accepted';
}

describe('containerd TOML refusals (go-toml v2 wording)', () => {
  it('a key defined twice in one table: "key … is already defined", no row/column', () => {
    const text = [
      "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runsc]",
      '  runtime_type = "io.containerd.runsc.v1"',
      '  runtime_type = "io.containerd.runsc.v1"',
      '',
    ].join('\n');
    expect(refusal(text)).toBe(
      'failed to unmarshal TOML: toml: key runtime_type is already defined',
    );
  });

  it('a table defined twice: "table … already exists"', () => {
    const text = '[a.runtimes.runc]\nx = 1\n[a.runtimes.runc]\ny = 2\n';
    expect(refusal(text)).toBe('failed to unmarshal TOML: toml: table runc already exists');
  });

  it('a syntax error: row and column, as a go-toml DecodeError', () => {
    expect(refusal('version = 3\n[plugins\n')).toMatch(
      /^failed to unmarshal TOML at row 2 column \d+: toml: /,
    );
  });
});
