import { describe, expect, it } from 'vitest';
import type { ExecResult, SshConnection } from '../../connect/connection.ts';
import type { PrivilegedRunner } from '../../privilege/run.ts';
import { ClusterAccess } from '../cluster-access.ts';
import type { HostHandle } from '../host.ts';
import type { NodeView } from '../kube-api.ts';
import type { StepContext } from '@nodeless/common';
import { RUNSC_CONFIG, TEMPLATE_PATH, type Sandbox } from './containerd-template.ts';
import { k3sNodeStep } from './k3s-node.ts';

const result = (stdout = '', code = 0): ExecResult => ({
  stdout,
  stderr: '',
  code,
  signal: undefined,
});

/**
 * A fresh host as the step sees it: no files (every `[ -f … ] || exit 3` probe says missing),
 * k3s not running, nothing on its ports. Records every root script and every staged write.
 */
function freshHost(): { host: HostHandle; log: string[] } {
  const log: string[] = [];
  const runner: PrivilegedRunner = {
    mode: 'root',
    pty: false,
    run: (script) => {
      log.push(`root: ${script}`);
      if (/^\[ -f .* \] \|\| exit 3/.test(script)) return Promise.resolve(result('', 3));
      if (script.startsWith('systemctl is-active')) return Promise.resolve(result('inactive\n'));
      if (script === 'hostname') return Promise.resolve(result('h1\n'));
      if (script === 'date +%s') return Promise.resolve(result('1\n'));
      return Promise.resolve(result());
    },
  };
  const connection: SshConnection = {
    label: 'h1',
    user: 'admin',
    exec: (command, options) => {
      log.push(`write: ${command}\n${options?.stdin === undefined ? '' : String(options.stdin)}`);
      return Promise.resolve(result());
    },
    close: () => undefined,
    closed: false,
  };
  return { host: { name: 'h1', address: '10.0.0.1', runner, connection }, log };
}

/** An API that sees the node Ready once k3s was (re)started. */
class FakeAccess extends ClusterAccess {
  started = false;
  override ready(): Promise<boolean> {
    return Promise.resolve(this.started);
  }
  override node(name: string): Promise<NodeView | undefined> {
    return Promise.resolve(
      this.started ? { name, ready: true, labels: {}, runtimeHandlers: ['runc'] } : undefined,
    );
  }
}

const ctx: StepContext = {
  signal: new AbortController().signal,
  progress: () => undefined,
  log: () => undefined,
};

async function applyOn(sandbox: Sandbox): Promise<string[]> {
  const { host, log } = freshHost();
  const access = new FakeAccess(host, host.address, { timeoutMs: 1_000, intervalMs: 1 });
  const original = host.runner.run.bind(host.runner);
  const runner: PrivilegedRunner = {
    ...host.runner,
    run: (script, options) => {
      if (script.includes('systemctl restart --no-block k3s')) access.started = true;
      if (access.started && script.startsWith('systemctl is-active'))
        return Promise.resolve(result('active\n'));
      return original(script, options);
    },
  };
  const h = { ...host, runner };
  const step = k3sNodeStep(h, { role: 'first-server', ha: false, access, sandbox });
  await step.apply(ctx);
  return log;
}

describe('k3s node step: containerd files before k3s first starts', () => {
  it.each<[Sandbox, string[]]>([
    ['kata-clh', [TEMPLATE_PATH]],
    ['gvisor', [TEMPLATE_PATH, RUNSC_CONFIG]],
  ])(
    '%s: writes %j before `systemctl restart k3s`, and config.yaml has no default-runtime',
    async (sandbox, files) => {
      const log = await applyOn(sandbox);
      const start = log.findIndex((l) => l.includes('systemctl restart --no-block k3s'));
      expect(start).toBeGreaterThan(0);
      for (const f of files) {
        const written = log.findIndex(
          (l) => l.startsWith('root: ') && l.includes(` ${f}`) && l.includes('install -D'),
        );
        expect(written).toBeGreaterThan(-1);
        expect(written).toBeLessThan(start);
      }
      const config = log.find((l) => l.includes('# Written by Nodeless.\n'));
      expect(config).toBeDefined();
      expect(config).not.toContain('default-runtime');
      // install.sh's helper scripts and links come with the install.
      for (const p of ['/usr/local/bin/k3s-killall.sh', '/usr/local/bin/k3s-uninstall.sh'])
        expect(log.some((l) => l.startsWith('root: ') && l.includes(` ${p}`))).toBe(true);
      expect(log.some((l) => l.includes('ln -sf k3s /usr/local/bin/$cmd'))).toBe(true);
    },
  );
});

describe('k3s node step: waits for systemd as verify does', () => {
  it('does not finish while the node is Ready but the unit has not sent READY=1', async () => {
    const { host } = freshHost();
    const access = new FakeAccess(host, host.address, { timeoutMs: 2_000, intervalMs: 1 });
    const original = host.runner.run.bind(host.runner);
    let activatingPolls = 0;
    let activeSeen = false;
    const runner: PrivilegedRunner = {
      ...host.runner,
      run: (script, options) => {
        if (script.includes('systemctl restart --no-block k3s')) access.started = true;
        if (access.started && script.startsWith('systemctl is-active')) {
          // Type=notify: `activating` for a few polls after the node turned Ready.
          if (activatingPolls < 3) {
            activatingPolls += 1;
            return Promise.resolve(result('activating\n', 3));
          }
          activeSeen = true;
          return Promise.resolve(result('active\n'));
        }
        return original(script, options);
      },
    };
    const step = k3sNodeStep(
      { ...host, runner },
      { role: 'first-server', ha: false, access, sandbox: 'kata-clh' },
    );
    await step.apply(ctx);
    expect(activatingPolls).toBe(3);
    expect(activeSeen).toBe(true);
  });
});
