import type { V1Lease, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KubeApiError, type KubeClient } from '../client.ts';
import { METER_FINALIZER } from './meter-names.ts';
import { stripAllMeteringFinalizers, uninstallMeter } from './meter-uninstall.ts';

const pod = (name: string, rv: string, finalizers: string[]): V1Pod => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv, finalizers },
});

/** Pods in pages of one; the first patch of `conflicted` answers 409 (someone wrote meanwhile). */
function fake(pods: V1Pod[], conflicted: string) {
  const patches: { name: string; patch: unknown }[] = [];
  const pages: (string | undefined)[] = [];
  let conflicts = 0;
  const client = {
    list: (_t: unknown, o: { continue?: string }) => {
      pages.push(o.continue);
      const i = o.continue ? Number(o.continue) : 0;
      const next = i + 1 < pods.length ? String(i + 1) : undefined;
      return Promise.resolve({
        items: [pods[i]],
        resourceVersion: '9',
        ...(next ? { continue: next } : {}),
      });
    },
    get: (_t: unknown, name: string) =>
      Promise.resolve(pod(name, '2', ['example.com/other', METER_FINALIZER])),
    mergePatch: (_t: unknown, name: string, patch: unknown) => {
      if (name === conflicted && conflicts++ === 0)
        return Promise.reject(
          new KubeApiError(409, 'Conflict', 'the object has been modified', 'PATCH', '/'),
        );
      patches.push({ name, patch });
      return Promise.resolve({});
    },
  } as unknown as KubeClient;
  return { client, patches, pages };
}

describe('stripping the metering finalizer', () => {
  it('pages through every pod, patches with the resourceVersion read, re-reads on 409', async () => {
    const { client, patches, pages } = fake(
      [
        pod('a', '1', [METER_FINALIZER]),
        pod('b', '1', ['example.com/other']),
        pod('c', '1', ['example.com/keep', METER_FINALIZER]),
      ],
      'c',
    );
    expect(await stripAllMeteringFinalizers(client, { pageSize: 1 })).toBe(2);
    expect(pages).toEqual([undefined, '1', '2']);
    expect(patches).toEqual([
      { name: 'a', patch: { metadata: { resourceVersion: '1', finalizers: [] } } },
      // After the 409: the re-read object's version and its finalizers (one added meanwhile).
      {
        name: 'c',
        patch: { metadata: { resourceVersion: '2', finalizers: ['example.com/other'] } },
      },
    ]);
  });
});

/**
 * A cluster where the meter's pods take `podPolls` looks to go and its leader holds the Lease
 * (renewed at each look) until `releaseAt` ms; one tenant pod carries the finalizer.
 */
function cluster(podPolls: number, releaseAt: number) {
  const events: string[] = [];
  let t = 1_000_000;
  let polls = 0;
  const client = {
    delete: (type: { kind: string }, name: string) => {
      events.push(`delete ${type.kind} ${name}`);
      return Promise.resolve(true);
    },
    list: (type: { kind: string }, o: { labelSelector?: string }) => {
      if (o.labelSelector === 'app.kubernetes.io/name=nodeless-meter') {
        events.push('look');
        const left = polls++ < podPolls ? [pod('nodeless-meter-a', '1', [])] : [];
        return Promise.resolve({ items: left, resourceVersion: '1' });
      }
      return Promise.resolve({
        items: type.kind === 'Pod' ? [pod('t', '5', [METER_FINALIZER])] : [],
        resourceVersion: '1',
      });
    },
    get: (): Promise<V1Lease> => {
      const holding = t < releaseAt;
      return Promise.resolve({
        spec: {
          holderIdentity: holding ? 'nodeless-meter-a' : '',
          leaseDurationSeconds: holding ? 15 : 1,
          renewTime: new Date(t).toISOString() as unknown as Date,
        },
      });
    },
    mergePatch: (_t: unknown, name: string) => {
      events.push(`strip ${name}`);
      return Promise.resolve({});
    },
  } as unknown as KubeClient;
  const options = {
    now: () => t,
    sleep: (ms: number) => {
      t += ms;
      return Promise.resolve();
    },
    settleMs: 10,
    pollMs: 1_000,
    stopTimeoutMs: 60_000,
  };
  return { client, events, options, elapsed: () => t - 1_000_000 };
}

describe('uninstalling the meter', () => {
  it('deletes the Deployment, waits for its pods and Lease, then the switch, then strips', async () => {
    const { client, events, options } = cluster(3, 1_000_000 + 5_000);
    const done = await uninstallMeter(client, options);
    expect(done.meterStopped).toBe(true);
    expect(events.slice(0, 14)).toEqual([
      'delete Deployment nodeless-meter',
      // Pods still there for 3 looks; the Lease is live until 5 s in.
      'look',
      'look',
      'look',
      'look',
      'look',
      'look',
      'delete ConfigMap nodeless-meter',
      // The sandbox-start record's policy and the finalizer's, each binding first.
      'delete MutatingAdmissionPolicyBinding nodeless-pod-sandbox-start',
      'delete MutatingAdmissionPolicy nodeless-pod-sandbox-start',
      'delete MutatingAdmissionPolicyBinding nodeless-pod-metering',
      'delete MutatingAdmissionPolicy nodeless-pod-metering',
      'strip t',
      'strip t',
    ]);
    expect(events.slice(14)).toEqual([
      'delete ValidatingAdmissionPolicyBinding nodeless-meter-configmaps',
      'delete ValidatingAdmissionPolicy nodeless-meter-configmaps',
      'delete RoleBinding nodeless-meter',
      'delete Role nodeless-meter',
      'delete ClusterRoleBinding nodeless-meter',
      'delete ClusterRole nodeless-meter',
      'delete ServiceAccount nodeless-meter',
      'delete Lease nodeless-meter',
    ]);
    expect(done.deleted[0]).toBe('Deployment nodeless-system/nodeless-meter');
  });

  it('goes on after the bounded wait when a meter still holds the Lease, and says so', async () => {
    const { client, events, options, elapsed } = cluster(0, Number.POSITIVE_INFINITY);
    const done = await uninstallMeter(client, options);
    expect(done.meterStopped).toBe(false);
    // 60 s of looks a second apart, then the settle pause between the two passes.
    expect(elapsed()).toBe(60_000 + 10);
    expect(events.filter((e) => e === 'look')).toHaveLength(61);
    expect(events).toContain('delete ConfigMap nodeless-meter');
  });
});
