import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../inventory/errors.ts';
import { TenantsService } from './service.ts';

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

let kubeconfig: string;
beforeAll(async () => {
  const server = `https://127.0.0.1:${await closedPort()}`;
  kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: lab, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]`,
    'users: [{name: admin, user: {token: not-used}}]',
    'contexts: [{name: lab, context: {cluster: lab, user: admin}}]',
    'current-context: lab',
    '',
  ].join('\n');
});

function service() {
  const secrets: string[] = [];
  const s = new TenantsService({
    credentials: () => kubeconfig,
    clusterName: () => 'lab',
    registerSecret: (plain) => secrets.push(plain),
    homeDir: '/home/u',
  });
  return { s, secrets };
}

describe('TenantsService', () => {
  it('answers a tenant refusal as a field error, before asking the cluster', async () => {
    const { s } = service();
    const refused = s.add({ clusterId: 'c', namespace: 'kube-x' });
    await expect(refused).rejects.toBeInstanceOf(InputError);
    await expect(refused).rejects.toMatchObject({
      fieldErrors: { namespace: expect.stringContaining('is reserved') as unknown },
    });
    const tooShort = await s
      .kubeconfig({ clusterId: 'c', namespace: 'team-a', expiresSeconds: 5, path: '/tmp/x' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(tooShort).toBeInstanceOf(InputError);
    expect(typeof (tooShort as InputError).fieldErrors['expiresSeconds']).toBe('string');
  });

  it('says an unreachable cluster in words, as a 502 naming the server', async () => {
    const { s, secrets } = service();
    const failed = s.list({ clusterId: 'c' });
    await expect(failed).rejects.toMatchObject({ code: 'BAD_GATEWAY' });
    await expect(failed).rejects.toThrow(/connection refused \(ECONNREFUSED\)/);
    await expect(failed).rejects.toThrow(/127\.0\.0\.1/);
    expect(secrets).toEqual([]);
  });
});
