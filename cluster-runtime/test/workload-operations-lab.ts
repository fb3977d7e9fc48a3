/**
 * The real control plane the workload-operation integration files share the shape of (two KWOK
 * machines, the HPA windows shortened by flags, metrics-server reading the usage KWOK reports
 * from the pods' `kwok.x-k8s.io/usage-*` annotations) and their kubectl helpers.
 */
import type { V1Deployment } from '@kubernetes/client-node';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { createKubeClient, type KubeClient } from '../src/client.ts';

export const NS = 'shop';
let cp: ControlPlane | undefined;

export async function ok(args: string[], input?: string): Promise<string> {
  if (!cp) throw new Error('the control plane is not started');
  const r = await cp.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  ms = 90_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${String(last)})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
export const getJson = async <T>(kind: string, name: string): Promise<T> =>
  JSON.parse(await ok(['get', kind, '-n', NS, name, '-o', 'json'])) as T;

export function deployment(name: string, image: string, usageCpu = '10m'): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { app: name },
          annotations: {
            'kwok.x-k8s.io/usage-cpu': usageCpu,
            'kwok.x-k8s.io/usage-memory': '50Mi',
          },
        },
        spec: {
          containers: [
            {
              name: 'app',
              image,
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
            },
          ],
        },
      },
    },
  };
}

export const readyDeployment = (name: string, replicas: number) =>
  until(`${name} to have ${replicas} ready replicas`, async () => {
    const d = await getJson<V1Deployment>('deployment', name);
    const s = d.status;
    return (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
      s?.updatedReplicas === replicas &&
      s.readyReplicas === replicas &&
      (s.replicas ?? 0) === replicas
      ? d
      : undefined;
  });

export const setUsage = (name: string, cpu: string) =>
  ok([
    'patch',
    '-n',
    NS,
    `deployment/${name}`,
    '--type=merge',
    '-p',
    JSON.stringify({
      spec: { template: { metadata: { annotations: { 'kwok.x-k8s.io/usage-cpu': cpu } } } },
    }),
  ]);

/** Starts the control plane (call in beforeAll) with namespace {@link NS}; answers its client. */
export async function startOperationsLab(): Promise<KubeClient> {
  cp = await startControlPlane({
    nodes: 2,
    tuning: { hpaSyncPeriod: '2s', hpaDownscaleStabilization: '10s' },
  });
  await ok(['create', 'namespace', NS]);
  return createKubeClient(cp.kubeconfig);
}

export async function stopOperationsLab(): Promise<void> {
  await cp?.stop();
  cp = undefined;
}
