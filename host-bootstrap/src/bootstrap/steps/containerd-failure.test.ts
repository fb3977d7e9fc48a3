import { describe, expect, it } from 'vitest';
import type { ExecResult, SshConnection } from '../../connect/connection.ts';
import type { PrivilegedRunner } from '../../privilege/run.ts';
import type { HostHandle } from '../host.ts';
import {
  CONTAINERD_LOG,
  containerdDown,
  containerdReason,
  containerdRefusal,
} from './containerd-failure.ts';

// Lines as k3s and containerd write them (logrus text format, Go-quoted fields).
const WAITING =
  'time="2026-12-02T03:00:00Z" level=info msg="Waiting for containerd startup: rpc error: code = Unimplemented desc = unknown service runtime.v1.RuntimeService"';
const NO_RUNTIME =
  'time="2026-12-02T03:00:00Z" level=warning msg="failed to load plugin" error="invalid plugin config: no corresponding runtime configured in `containerd.runtimes` for `containerd` `default_runtime_name = \\"kata-clh\\"`" id=io.containerd.cri.v1.runtime type=io.containerd.cri.v1';

describe('containerd refusing its config', () => {
  it('is recognised in the journal only when it cannot heal (exited, or no CRI service)', () => {
    expect(containerdDown(WAITING)).toBe(true);
    expect(containerdDown('level=error msg="containerd exited: exit status 1"')).toBe(true);
    // Still starting: the socket is not up yet. Waiting helps.
    expect(
      containerdDown(
        'level=info msg="Waiting for containerd startup: rpc error: code = Unavailable desc = connection error"',
      ),
    ).toBe(false);
    expect(containerdDown('level=info msg="containerd is now running"')).toBe(false);
  });

  it("names containerd's reason: the CRI plugin's error, or its exit message", () => {
    expect(containerdReason(`starting\n${NO_RUNTIME}\n`)).toBe(
      'invalid plugin config: no corresponding runtime configured in `containerd.runtimes` for `containerd` `default_runtime_name = "kata-clh"`',
    );
    expect(
      containerdReason(
        'time="x" level=info msg="starting containerd"\ncontainerd: failed to unmarshal TOML: toml: table runc already exists\n',
      ),
    ).toBe('failed to unmarshal TOML: toml: table runc already exists');
    // The latest refusal wins over an older one in the same log.
    expect(
      containerdReason(
        `${NO_RUNTIME}\ncontainerd: failed to unmarshal TOML at row 3 column 1: toml: expected newline\n`,
      ),
    ).toBe('failed to unmarshal TOML at row 3 column 1: toml: expected newline');
    expect(containerdReason('time="x" level=info msg="starting containerd"\n')).toBeUndefined();
  });

  it('fails with the reason and the files the config comes from', async () => {
    const seen: string[] = [];
    const ok = (stdout: string): ExecResult => ({ stdout, stderr: '', code: 0, signal: undefined });
    const runner: PrivilegedRunner = {
      mode: 'root',
      pty: false,
      run: (script) => {
        seen.push(script);
        return Promise.resolve(ok(`${NO_RUNTIME}\n`));
      },
    };
    const host: HostHandle = {
      name: 'h1',
      address: '10.0.0.1',
      runner,
      connection: {} as SshConnection,
    };
    const err = await containerdRefusal(host, (t) => t);
    expect(seen).toEqual([`tail -n 60 ${CONTAINERD_LOG} 2>/dev/null`]);
    expect(err.message).toBe(
      'containerd on h1 refused its configuration, so k3s cannot register the node: invalid plugin config: no corresponding runtime configured in `containerd.runtimes` for `containerd` `default_runtime_name = "kata-clh"`',
    );
    expect(err.host).toBe('h1');
    expect(err.remedy).toContain('/var/lib/rancher/k3s/agent/etc/containerd/config-v3.toml.tmpl');
    expect(err.remedy).toContain('/etc/rancher/k3s/config.yaml.d/*.yaml');
  });
});
