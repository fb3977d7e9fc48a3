import type { V1ConfigMap } from '@kubernetes/client-node';
import {
  METER_PARAM_NAME,
  METER_PARAM_VERSION_KEY,
  meterSwitch,
  RESOURCES,
} from '@nodeless/cluster-runtime';
import { describe, expect, it } from 'vitest';
import { ensureFinalizerSwitch } from '../src/finalizer-switch.ts';
import { fakeClient } from './fake-client.ts';

const NS = 'nodeless-system';
const param = async (api: ReturnType<typeof fakeClient>) =>
  api.get<V1ConfigMap>(RESOURCES.configMaps, METER_PARAM_NAME, NS);

describe('the leader turns the finalizer on', () => {
  it('creates the param, and a second leader finds it as it is', async () => {
    const api = fakeClient();
    expect(await ensureFinalizerSwitch(api, () => true, '0.1.0')).toBe('created');
    expect((await param(api))?.data).toEqual({ [METER_PARAM_VERSION_KEY]: '0.1.0' });
    expect(await ensureFinalizerSwitch(api, () => true, '0.1.0')).toBe('unchanged');
    expect(api.calls).toEqual([
      'create ConfigMap nodeless-meter',
      'create ConfigMap nodeless-meter',
    ]);
  });

  it('updates another version with the resourceVersion it read, re-reading after a 409', async () => {
    const api = fakeClient();
    api.put(RESOURCES.configMaps, meterSwitch({ version: '0.0.9' }));
    let raced = false;
    api.beforeWrite = (verb) => {
      // Someone rewrites the param between our read and our update, once.
      if (verb === 'replace' && !raced) {
        raced = true;
        api.put(RESOURCES.configMaps, meterSwitch({ version: '0.0.8' }));
      }
    };
    expect(await ensureFinalizerSwitch(api, () => true, '0.2.0')).toBe('updated');
    expect((await param(api))?.data?.[METER_PARAM_VERSION_KEY]).toBe('0.2.0');
    expect(api.calls.filter((c) => c.startsWith('replace'))).toHaveLength(2);
  });

  it('is owned by the meter’s Deployment when there is one, and follows a new one', async () => {
    const api = fakeClient();
    const deployment = (uid: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'nodeless-meter', namespace: NS, uid },
    });
    api.put(RESOURCES.deployments, deployment('uid-1'));
    expect(await ensureFinalizerSwitch(api, () => true, '0.1.0')).toBe('created');
    expect((await param(api))?.metadata?.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nodeless-meter', uid: 'uid-1' },
    ]);
    expect(await ensureFinalizerSwitch(api, () => true, '0.1.0')).toBe('unchanged');
    // Deleted and re-created (a new uid): the param moves to the new owner.
    api.put(RESOURCES.deployments, deployment('uid-2'));
    expect(await ensureFinalizerSwitch(api, () => true, '0.1.0')).toBe('updated');
    expect((await param(api))?.metadata?.ownerReferences?.[0]?.uid).toBe('uid-2');
  });

  it('writes nothing when it is not the leader', async () => {
    const api = fakeClient();
    expect(await ensureFinalizerSwitch(api, () => false)).toBe('not-leader');
    expect(api.calls).toEqual([]);
    expect(await param(api)).toBeUndefined();
  });

  it('throws what the API server refuses (a 403 is not swallowed)', async () => {
    const api = fakeClient();
    api.beforeWrite = () => {
      throw Object.assign(new Error('configmaps is forbidden'), { code: 403 });
    };
    await expect(ensureFinalizerSwitch(api, () => true)).rejects.toThrow(/forbidden/);
  });
});
