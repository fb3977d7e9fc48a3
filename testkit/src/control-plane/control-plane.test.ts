import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { MODULE_DIR, VERSIONS, versionLdflags } from './build.ts';
import { KUBERNETES_VERSION } from './launch.ts';
import {
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  schedulerArgs,
  type Layout,
} from './components.ts';
import { egressSelectorConfig, egressTarget, LOOPBACK_ALIAS } from './egress.ts';
import { kwokConfig } from './kwok-stages.ts';
import { pkiPaths } from './pki-files.ts';

const layout: Layout = {
  dataDir: '/d',
  pki: pkiPaths('/d/pki'),
  ports: {
    apiserver: 1,
    etcdClient: 2,
    etcdPeer: 3,
    controllerManager: 4,
    scheduler: 5,
    kwok: 6,
    metricsServer: 7,
  },
  address: '127.0.0.1',
  advertiseAddress: LOOPBACK_ALIAS,
};

describe('versions', () => {
  it('match the pinned modules in go.mod', () => {
    const main = fs.readFileSync(path.join(MODULE_DIR, 'go.mod'), 'utf8');
    expect(main).toContain(`k8s.io/kubernetes ${VERSIONS.kubernetes}`);
    expect(main).toContain(`sigs.k8s.io/kwok ${VERSIONS.kwok}`);
    expect(main).toContain(`go.etcd.io/etcd/server/v3 ${VERSIONS.etcd}`);
    // Every staging module is replaced by the v0 release matching Kubernetes' minor/patch.
    const staging = VERSIONS.kubernetes.replace(/^v1\./, 'v0.');
    expect(main).toMatch(
      new RegExp(`k8s\\.io/apiserver => k8s\\.io/apiserver ${staging.replaceAll('.', '\\.')}`),
    );
    const ms = fs.readFileSync(path.join(MODULE_DIR, 'metrics-server/go.mod'), 'utf8');
    expect(ms).toContain(`sigs.k8s.io/metrics-server ${VERSIONS.metricsServer}`);
  });

  it('are the same in the launcher (which cannot import the Go build)', () => {
    expect(KUBERNETES_VERSION).toBe(VERSIONS.kubernetes);
  });

  it('stamp the upstream version into the binaries', () => {
    const flags = versionLdflags('2026-07-22T18:07:38Z');
    expect(flags.kubernetes).toContain('-X k8s.io/component-base/version.gitVersion=v1.36.3');
    expect(flags.kubernetes).toContain('-X k8s.io/client-go/pkg/version.gitMinor=36');
    expect(flags.metricsServer).toContain('gitVersion=v0.8.0');
  });
});

describe('component flags', () => {
  it('keep every listener on loopback', () => {
    const all = [
      ...etcdArgs(layout),
      ...apiserverArgs(layout),
      ...controllerManagerArgs(layout),
      ...schedulerArgs(layout),
    ];
    for (const a of all.filter((x) => /(bind-address|listen-.*-urls)=/.test(x))) {
      expect(a).toMatch(/=(http:\/\/)?127\.0\.0\.1(:\d+)?$|listen-metrics-urls=$/);
    }
    expect(apiserverArgs(layout)).toContain(`--advertise-address=${LOOPBACK_ALIAS}`);
  });

  it('enable what the product relies on', () => {
    const api = apiserverArgs(layout);
    expect(api).toContain('--authorization-mode=Node,RBAC');
    expect(api).toContain('--enable-admission-plugins=NodeRestriction');
    expect(controllerManagerArgs(layout)).toContain('--node-monitor-grace-period=50s');
    expect(
      controllerManagerArgs({ ...layout, tuning: { hpaDownscaleStabilization: '20s' } }),
    ).toContain('--horizontal-pod-autoscaler-downscale-stabilization=20s');
  });
});

describe('egress proxy', () => {
  it('maps the loopback alias to 127.0.0.1 and refuses anything else', () => {
    expect(egressTarget(`${LOOPBACK_ALIAS}:4443`)).toEqual({ host: '127.0.0.1', port: 4443 });
    expect(egressTarget('127.0.0.1:10250')).toEqual({ host: '127.0.0.1', port: 10250 });
    expect(egressTarget('8.8.8.8:443')).toBeUndefined();
    expect(egressTarget('10.42.0.7:80')).toBeUndefined();
    expect(egressTarget(`${LOOPBACK_ALIAS}:99999`)).toBeUndefined();
  });

  it('routes only cluster traffic through the Unix socket', () => {
    const cfg = YAML.parse(egressSelectorConfig('/tmp/e.sock')) as {
      egressSelections: Array<{
        name: string;
        connection: { transport: { uds: { udsName: string } } };
      }>;
    };
    expect(cfg.egressSelections.map((s) => s.name)).toEqual(['cluster']);
    expect(cfg.egressSelections[0]?.connection.transport.uds.udsName).toBe('/tmp/e.sock');
  });
});

describe('KWOK configuration', () => {
  const docs = YAML.parseAllDocuments(
    kwokConfig({ logsFile: '/l', execDir: '/e', timing: { sandboxMs: 123 } }),
  ).map(
    (d) =>
      d.toJSON() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> },
  );
  const stage = (name: string) => docs.find((d) => d.kind === 'Stage' && d.metadata.name === name);

  it('has the kubelet lifecycle stages and the kubelet server resources', () => {
    const stages = docs.filter((d) => d.kind === 'Stage').map((d) => d.metadata.name);
    expect(stages).toEqual(
      expect.arrayContaining([
        'pod-create',
        'pod-ready',
        'pod-complete',
        'pod-stop',
        'pod-delete',
        'node-initialize',
      ]),
    );
    expect(docs.map((d) => d.kind)).toEqual(
      expect.arrayContaining(['ClusterLogs', 'ClusterExec', 'ClusterResourceUsage', 'Metric']),
    );
  });

  it('reports the sandbox as up (PodReadyToStartContainers) after the configured delay', () => {
    const create = stage('pod-create')?.spec as {
      delay: { durationMilliseconds: number };
      next: { statusTemplate: string };
    };
    expect(create.delay.durationMilliseconds).toBe(123);
    expect(create.next.statusTemplate).toContain('type: PodReadyToStartContainers');
  });

  it('stops containers of a deleted pod at its deletionTimestamp, then removes it', () => {
    const stop = stage('pod-stop')?.spec as { delay: { durationFrom: { expressionFrom: string } } };
    expect(stop.delay.durationFrom.expressionFrom).toBe('.metadata.deletionTimestamp');
    const del = stage('pod-delete')?.spec as {
      next: { delete: boolean };
      selector: { matchExpressions: Array<{ key: string }> };
    };
    expect(del.next.delete).toBe(true);
    expect(del.selector.matchExpressions.map((m) => m.key)).toContain('.metadata.finalizers');
  });
});
