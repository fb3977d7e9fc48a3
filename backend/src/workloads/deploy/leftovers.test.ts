import { describe, expect, it } from 'vitest';
import { emptyDeployForm, type DeployForm } from '@nodeless/common';
import { KubeApiError, type KubeClient } from '@nodeless/cluster-runtime';
import { deleteLeftovers, findLeftovers, type Leftover } from './leftovers.ts';

const form: DeployForm = {
  ...emptyDeployForm('shop'),
  name: 'web',
  image: 'nginx:1.27',
  expose: 'none',
};

const service = (manager: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop', uid: 'uid-1', managedFields: [{ manager }] },
  spec: { selector: { 'app.kubernetes.io/name': 'web' } },
});

/** A client whose `get` answers from `objects` by kind/name and records deletes. */
function fakeClient(objects: Record<string, object>, refuse?: KubeApiError) {
  const deletes: Array<{ kind: string; name: string; uid: string | undefined }> = [];
  const client: Pick<KubeClient, 'get' | 'delete'> = {
    get: (type, name) => Promise.resolve(objects[`${type.kind}/${name}`] as never),
    delete: (type, name, _ns, o) => {
      if (refuse) return Promise.reject(refuse);
      deletes.push({ kind: type.kind, name, uid: o?.uid });
      return Promise.resolve(objects[`${type.kind}/${name}`] !== undefined);
    },
  };
  return { client, deletes };
}

const leftover: Leftover = { kind: 'Service', name: 'web', namespace: 'shop', uid: 'uid-1' };

describe('leftovers of an earlier deploy', () => {
  it('finds the Service nodeless applied once Expose is No, with its uid', async () => {
    const { client } = fakeClient({ 'Service/web': service('nodeless') });
    expect(await findLeftovers(client, form)).toEqual([leftover]);
    expect(await findLeftovers(client, { ...form, expose: 'ClusterIP' })).toEqual([]);
  });

  it('leaves a Service only another tool manages', async () => {
    const { client } = fakeClient({ 'Service/web': service('kubectl') });
    expect(await findLeftovers(client, form)).toEqual([]);
  });

  it('deletes with a uid precondition and lists what it deleted', async () => {
    const { client, deletes } = fakeClient({ 'Service/web': service('nodeless') });
    expect(await deleteLeftovers(client, [leftover])).toEqual([
      { kind: 'Service', name: 'web', namespace: 'shop' },
    ]);
    expect(deletes).toEqual([{ kind: 'Service', name: 'web', uid: 'uid-1' }]);
  });

  it('does not list one already gone or replaced since (the precondition’s 409)', async () => {
    expect(await deleteLeftovers(fakeClient({}).client, [leftover])).toEqual([]);
    const replaced = new KubeApiError(409, 'Conflict', 'Precondition failed: UID', 'DELETE', '/p');
    expect(await deleteLeftovers(fakeClient({}, replaced).client, [leftover])).toEqual([]);
    const forbidden = new KubeApiError(
      403,
      'Forbidden',
      'services "web" is forbidden',
      'DELETE',
      '/p',
    );
    await expect(deleteLeftovers(fakeClient({}, forbidden).client, [leftover])).rejects.toThrow(
      /forbidden/,
    );
  });
});
