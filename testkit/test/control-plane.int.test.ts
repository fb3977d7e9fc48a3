/**
 * The real control plane (issue "control plane", Done-when): built from Go modules, on
 * loopback, driven with the real kubectl of the same version.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../src/control-plane/index.ts';

const run = promisify(execFile);
let cp: ControlPlane;

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 2 });
}, 900_000);
afterAll(async () => {
  await cp?.stop();
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await cp.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('the real control plane', () => {
  it('is the real kube-apiserver v1.36 and serves admission policies', async () => {
    const version = JSON.parse(await ok(['version', '-o', 'json'])) as {
      serverVersion: { gitVersion: string };
      clientVersion: { gitVersion: string };
    };
    expect(version.serverVersion.gitVersion).toBe('v1.36.3');
    expect(version.clientVersion.gitVersion).toBe('v1.36.3');
    const resources = await ok(['api-resources', '-o', 'name']);
    expect(resources).toMatch(/^mutatingadmissionpolicies\.admissionregistration\.k8s\.io$/m);
    expect(resources).toMatch(/^validatingadmissionpolicies\.admissionregistration\.k8s\.io$/m);
    const nodes = await ok([
      'get',
      'nodes',
      '-o',
      'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}',
    ]);
    expect(nodes.split(' ')).toEqual(['True', 'True']);
  });

  it('enforces a ValidatingAdmissionPolicy created with kubectl', async () => {
    await ok(['create', 'namespace', 'vap']);
    await ok(
      ['apply', '-f', '-'],
      `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-host-network}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
  validations:
  - expression: "!has(object.spec.hostNetwork) || !object.spec.hostNetwork"
    message: "spec.hostNetwork is not allowed here"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: no-host-network}
spec:
  policyName: no-host-network
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels: {kubernetes.io/metadata.name: vap}
`,
    );
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: hn, namespace: vap}
spec:
  hostNetwork: true
  containers: [{name: c, image: busybox}]
`;
    // Policies reach the admission plugin through an informer: retry until it is in force.
    const refused = await until('the policy to be in force', async () => {
      const r = await cp.kubectl(['create', '-f', '-'], { input: pod });
      if (r.code === 0) {
        await ok(['delete', 'pod', 'hn', '-n', 'vap', '--grace-period=0', '--force']);
        return undefined;
      }
      // Until the namespace's default ServiceAccount exists, ServiceAccount admission refuses first.
      return r.stderr.includes('ValidatingAdmissionPolicy') ? r.stderr : undefined;
    });
    expect(refused).toContain(
      "ValidatingAdmissionPolicy 'no-host-network' with binding 'no-host-network' denied request: spec.hostNetwork is not allowed here",
    );
  });

  it('applies RuntimeClass admission: unknown classes refused, overhead added', async () => {
    const missing = await cp.kubectl([
      'run',
      'nope',
      '--image=busybox',
      '--overrides',
      '{"spec":{"runtimeClassName":"kata-missing"}}',
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('RuntimeClass "kata-missing" not found');
    await ok(
      ['apply', '-f', '-'],
      `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: kata-clh}
handler: kata-clh
overhead: {podFixed: {cpu: 250m, memory: 130Mi}}
`,
    );
    await ok([
      'run',
      'sandboxed',
      '--image=busybox',
      '--overrides',
      '{"spec":{"runtimeClassName":"kata-clh"}}',
    ]);
    const overhead = await ok(['get', 'pod', 'sandboxed', '-o', 'jsonpath={.spec.overhead}']);
    expect(JSON.parse(overhead)).toEqual({ cpu: '250m', memory: '130Mi' });
  });

  it('runs pods through their lifecycle and keeps deleted ones Terminating for their grace period', async () => {
    await ok([
      'run',
      'grace',
      '--image=busybox',
      '--overrides',
      '{"spec":{"terminationGracePeriodSeconds":6}}',
    ]);
    await until('the pod to run', async () =>
      (await ok(['get', 'pod', 'grace', '-o', 'jsonpath={.status.phase}'])) === 'Running'
        ? true
        : undefined,
    );
    const conditions = await ok([
      'get',
      'pod',
      'grace',
      '-o',
      'jsonpath={.status.conditions[*].type}',
    ]);
    expect(conditions.split(' ')).toContain('PodReadyToStartContainers');
    const t0 = Date.now();
    await ok(['delete', 'pod', 'grace', '--wait=false']);
    await new Promise((r) => setTimeout(r, 2000));
    expect(
      await ok(['get', 'pod', 'grace', '-o', 'jsonpath={.metadata.deletionTimestamp}']),
    ).not.toBe('');
    await until('the pod to be gone', async () => {
      const r = await cp.kubectl(['get', 'pod', 'grace']);
      return r.code !== 0 && r.stderr.includes('NotFound') ? true : undefined;
    });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(5000);
  });

  it('runs the commands the substrate simulates to completion, with their output as logs', async () => {
    // RuntimeClass kata-clh exists from the RuntimeClass test above.
    await ok([
      'run',
      'kernel',
      '--image=busybox',
      '--restart=Never',
      '--overrides',
      '{"spec":{"runtimeClassName":"kata-clh"}}',
      '--command',
      '--',
      'uname',
      '-r',
    ]);
    await until('the pod to succeed', async () =>
      (await ok(['get', 'pod', 'kernel', '-o', 'jsonpath={.status.phase}'])) === 'Succeeded'
        ? true
        : undefined,
    );
    // A Kata sandbox boots its own guest kernel: not the node's.
    const log = (await ok(['logs', 'kernel'])).trim();
    const nodeKernel = await ok([
      'get',
      'nodes',
      '-o',
      'jsonpath={.items[0].status.nodeInfo.kernelVersion}',
    ]);
    expect(log).toMatch(/^\d+\.\d+\.\d+-\S+$/);
    expect(log).not.toBe(nodeKernel);
  });

  it('serves events through v1 and events.k8s.io/v1', async () => {
    await ok(['create', 'job', 'once', '--image=busybox', '--', 'true']);
    await until('the job to complete', async () =>
      (await ok(['get', 'job', 'once', '-o', 'jsonpath={.status.succeeded}'])) === '1'
        ? true
        : undefined,
    );
    const core = JSON.parse(await ok(['get', '--raw', '/api/v1/namespaces/default/events'])) as {
      items: Array<{ reason: string }>;
    };
    expect(core.items.map((e) => e.reason)).toContain('Completed');
    const modern = JSON.parse(
      await ok(['get', '--raw', '/apis/events.k8s.io/v1/namespaces/default/events']),
    ) as { items: Array<{ reason: string; reportingController?: string }> };
    // The scheduler writes events.k8s.io events (eventTime, no lastTimestamp).
    expect(modern.items.some((e) => e.reason === 'Scheduled')).toBe(true);
  });

  it('answers metrics.k8s.io through metrics-server', async () => {
    await ok(['create', 'deployment', 'busy', '--image=busybox']);
    const top = await until(
      'pod metrics',
      async () => {
        const r = await cp.kubectl(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']);
        const items = r.code === 0 ? (JSON.parse(r.stdout) as { items: unknown[] }).items : [];
        return items.length === 2 ? r.stdout : undefined;
      },
      120_000,
    );
    expect(top).toContain('"node-1"');
  });
});

describe('testkit control-plane up/down', () => {
  it('starts in the background, prints the ready line and leaves nothing behind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-cli-'));
    const kubeconfig = path.join(dir, 'kc');
    const cli = ['run', '-s', 'testkit', '--', 'control-plane'];
    const upOut = await run(
      'npm',
      [...cli, 'up', '--kubeconfig', kubeconfig, '--name', 'clitest', '--nodes', '1'],
      {
        timeout: 300_000,
      },
    );
    expect(upOut.stdout).toMatch(/^control-plane ready: https:\/\/127\.0\.0\.1:\d+$/m);
    expect(fs.statSync(kubeconfig).mode & 0o777).toBe(0o600);
    const nodes = await cp.kubectl(['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'name']);
    expect(nodes.stdout.trim()).toBe('node/node-1');
    const port = /:(\d+)$/m.exec(upOut.stdout)?.[1];
    await run('npm', [...cli, 'down', '--name', 'clitest'], { timeout: 120_000 });
    const ss = await run('ss', ['-Hltn', `sport = :${port}`]);
    expect(ss.stdout.trim()).toBe('');
    const ps = await run('ps', ['-eo', 'args']);
    expect(ps.stdout).not.toContain('clitest');
    fs.rmSync(dir, { recursive: true, force: true });
  }, 400_000);
});
