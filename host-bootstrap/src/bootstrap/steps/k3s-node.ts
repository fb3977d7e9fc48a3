/**
 * Install k3s on one host as the first server, a joining server or an agent (DESIGN.md §4
 * phases 7–8): config.yaml + the install.sh systemd unit, install.sh's helper scripts and
 * links, and the sandbox's containerd files (handler template, runsc options, kata-fc's thin
 * pool) BEFORE the unit first starts — containerd reads them only at start — then
 * `systemctl daemon-reload`, `enable`, `restart`, and wait until the API answers `/readyz`
 * (servers) and the host's Node is Ready (asked of the first server from the desktop).
 *
 * The wait fails fast with a clear message when k3s itself gives up (wrong join token, port
 * taken, containerd refusing its config — see containerd-failure.ts) instead of running into
 * the timeout: the unit's journal since the start is read on every poll.
 *
 * @see https://docs.k3s.io/installation/airgap#install-k3s
 * @see https://docs.k3s.io/cli/token — "failed to validate token"
 * @see https://github.com/k3s-io/k3s/blob/master/install.sh — systemctl daemon-reload / enable / restart
 */
import { shellQuote } from '../../util/shell-quote.ts';
import { waitFor, type ClusterAccess } from '../cluster-access.ts';
import { BootstrapError } from '../errors.ts';
import {
  fileMatches,
  probe,
  root,
  tail,
  unitState,
  writeRootFile,
  type HostHandle,
} from '../host.ts';
import type { CheckResult, Phase, Step } from '@nodeless/common';
import { containerdDown, containerdRefusal } from './containerd-failure.ts';
import type { Sandbox } from './containerd-template.ts';
import { renderK3sConfig, renderUnit, requiredPorts, type NodeRole } from './k3s-files.ts';
import {
  KILLALL_SH,
  renderKillall,
  renderUninstall,
  symlinksPendingScript,
  symlinksScript,
  uninstallShPath,
} from './k3s-scripts.ts';
import { K3S_BIN, K3S_CONFIG, SYSTEMD_DIR, unitName } from './paths.ts';
import { ensureSandboxFiles, sandboxFilesMissing, type RootFile } from './sandbox-files.ts';

export interface K3sNodeOptions {
  readonly role: NodeRole;
  readonly ha: boolean;
  readonly access: ClusterAccess;
  /** The sandbox whose containerd files are written before k3s starts. */
  readonly sandbox: Sandbox;
}

/** The Node name k3s registers: the host name, lowercased. */
export async function nodeName(host: HostHandle): Promise<string> {
  const r = await probe(host, 'hostname');
  return r.stdout.trim().toLowerCase();
}

/** Turns the unit's journal into a clear error when k3s gave up on its own. */
export function classifyK3sFailure(
  host: string,
  unit: string,
  journal: string,
): BootstrapError | undefined {
  if (
    /failed to validate token|401 Unauthorized|token CA hash does not match|failed to normalize server token/i.test(
      journal,
    )
  ) {
    return new BootstrapError(
      `k3s on ${host} was refused by the server: the join token is wrong.`,
      {
        host,
        remedy: `The token must be the first server's /var/lib/rancher/k3s/server/token. Remove stale token settings on ${host} (/etc/rancher/k3s/config.yaml.d, /etc/systemd/system/${unit}.service.env), or Reset the host, then Resume.`,
      },
    );
  }
  const port = /address already in use.*?:(\d+)|:(\d+).*address already in use/i.exec(journal);
  if (port) {
    const n = port[1] ?? port[2] ?? '';
    return new BootstrapError(`k3s on ${host} cannot listen on port ${n}: it is already in use.`, {
      host,
      remedy: `Stop whatever listens on port ${n} on ${host} (ss -ltnp 'sport = :${n}'), then Resume.`,
    });
  }
  if (/level=fatal/.test(journal)) {
    return new BootstrapError(`k3s on ${host} stopped: ${tail(journal, 3)}`, {
      host,
      remedy: `Read journalctl -u ${unit} on ${host}, fix the cause, then Resume.`,
    });
  }
  return undefined;
}

/** One host's k3s step. */
export function k3sNodeStep(host: HostHandle, o: K3sNodeOptions): Step {
  const kind = o.role === 'agent' ? 'agent' : 'server';
  const unit = unitName(kind);
  const unitPath = `${SYSTEMD_DIR}/${unit}.service`;
  const wantUnit = renderUnit(kind);
  /** install.sh's helper scripts: same content and mode as upstream (0755, root). */
  const scripts: RootFile[] = [
    { path: KILLALL_SH, content: renderKillall(), mode: '755' },
    { path: uninstallShPath(kind), content: renderUninstall(kind), mode: '755' },
  ];
  const phase: Phase =
    o.role === 'first-server'
      ? 'k3s-server-init'
      : o.role === 'join-server'
        ? 'k3s-server-join'
        : 'k3s-agent-join';
  const wantConfig = async () =>
    renderK3sConfig({
      role: o.role,
      ha: o.ha,
      serverAddress: o.access.serverAddress,
      hostAddress: host.address,
      serverUrl: o.access.serverUrl,
      sandboxFamily: o.sandbox === 'gvisor' ? 'gvisor' : 'kata',
      ...(o.role === 'first-server' ? {} : { token: await o.access.token() }),
    });

  let cachedName: string | undefined;
  const name = async () => (cachedName ??= await nodeName(host));
  const nodeReady = async (): Promise<string | undefined> => {
    if (kind === 'server' && !(await o.access.ready())) return undefined;
    const node = await o.access.node(await name());
    return node?.ready ? node.name : undefined;
  };

  const check = async (): Promise<CheckResult> => {
    const missing: string[] = [];
    if ((await probe(host, `[ -x ${K3S_BIN} ]`)).code !== 0) missing.push('k3s binary');
    if (!(await fileMatches(host, K3S_CONFIG, await wantConfig(), '600')))
      missing.push('config.yaml');
    if (!(await fileMatches(host, unitPath, wantUnit, '644'))) missing.push(`${unit}.service`);
    for (const f of scripts)
      if (!(await fileMatches(host, f.path, f.content, f.mode))) missing.push(f.path);
    const links = (await probe(host, symlinksPendingScript())).stdout.trim();
    if (links) missing.push(`links to k3s (${links.split('\n').join(', ')})`);
    missing.push(...(await sandboxFilesMissing(host, o.sandbox)));
    const enabled = (await probe(host, `systemctl is-enabled ${unit}`)).stdout.trim();
    if (enabled !== 'enabled') missing.push(`${unit} enabled`);
    if ((await unitState(host, unit)) !== 'active') missing.push(`${unit} running`);
    else if (!(await nodeReady())) missing.push('node Ready');
    return missing.length === 0
      ? { satisfied: true, detail: `k3s ${kind} running, node Ready` }
      : { satisfied: false, detail: `Will set up: ${missing.join(', ')}` };
  };

  return {
    key: `${phase}@${host.name}`,
    phase,
    host: host.name,
    title: `${o.role === 'agent' ? 'Join agent' : o.role === 'join-server' ? 'Join server' : 'Install first server'} ${host.name}`,
    check,
    apply: async (ctx) => {
      const state = await unitState(host, unit);
      if (state !== 'active' && state !== 'activating') {
        // Our own k3s is not running, so anything on its ports is someone else.
        const ports = requiredPorts(kind);
        const r = await probe(
          host,
          ports.map((p) => `ss -Hltnp 'sport = :${p}' | sed 's/^/${p} /'`).join('\n'),
        );
        const busy = r.stdout.trim();
        if (busy) {
          const port = busy.split(' ')[0] ?? '';
          throw new BootstrapError(
            `Port ${port} on ${host.name} is already in use, so k3s cannot start there.`,
            {
              host: host.name,
              remedy: `Stop the program listening on port ${port} on ${host.name} (ss -ltnp 'sport = :${port}' names it), then Resume.`,
            },
          );
        }
      }
      // install.sh's helper scripts and links: k3s never reads them, so no restart for them.
      for (const f of scripts) {
        if (await fileMatches(host, f.path, f.content, f.mode)) continue;
        await writeRootFile(host, f.path, f.content, f.mode);
      }
      await root(host, 'Linking kubectl, crictl and ctr to k3s', symlinksScript());
      const config = await wantConfig();
      let changed = false;
      if (!(await fileMatches(host, K3S_CONFIG, config, '600'))) {
        await writeRootFile(host, K3S_CONFIG, config, '600');
        changed = true;
      }
      if (!(await fileMatches(host, unitPath, wantUnit, '644'))) {
        await writeRootFile(host, unitPath, wantUnit, '644');
        changed = true;
      }
      // The sandbox's containerd files before the first start: no restart needed later.
      const sandbox = await ensureSandboxFiles(host, o.sandbox, (l) => ctx.log(l));
      changed ||= sandbox.templateChanged;
      // k3s reads its config, its drop-ins and containerd's template only at start: restart
      // when one changed or the node is not Ready; a Ready node with the same files is left be.
      const restart = changed || (await unitState(host, unit)) !== 'active' || !(await nodeReady());
      const since = (await probe(host, 'date +%s')).stdout.trim();
      // --no-block: a notify unit with TimeoutStartSec=0 could block forever; we wait ourselves.
      await root(
        host,
        `Starting ${unit}`,
        [
          'systemctl daemon-reload',
          `systemctl enable ${unit}`,
          ...(restart ? [`systemctl restart --no-block ${unit}`] : []),
        ].join('\n'),
      );
      ctx.log(
        restart
          ? `${unit} (re)started${changed ? ' with new files' : ''}; waiting for the node to be Ready`
          : `${unit} already running with these files`,
      );
      ctx.progress(0, 1, `Waiting for ${host.name} to be Ready`);
      await waitFor(o.access.wait, `${host.name} to become a Ready node`, async () => {
        // Both, as verify wants them: the node can turn Ready (the server's view) a moment
        // before k3s tells systemd READY=1 (Type=notify: the unit is `activating` until then).
        const ready = await nodeReady();
        if (ready && (await unitState(host, unit)) === 'active') return ready;
        // k3s retries some refusals forever (a malformed token) and exits on others (a
        // rejected one, a taken port): read the journal since our start on every poll.
        const j = await probe(
          host,
          `journalctl -u ${shellQuote(unit)} --since @${since} --no-pager -o cat | tail -n 40`,
        );
        const journal = o.access.scrub(j.stdout);
        // containerd refusing its config never heals by waiting: say why, in its words.
        if (containerdDown(journal)) throw await containerdRefusal(host, (t) => o.access.scrub(t));
        const err = classifyK3sFailure(host.name, unit, journal);
        if (err) throw err;
        return undefined;
      });
    },
    verify: check,
  };
}
