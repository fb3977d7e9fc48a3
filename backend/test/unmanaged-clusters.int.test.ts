/**
 * Imported and demo clusters in the inventory (issue 11 follow-up): `inventory.list` says each
 * cluster's source (installed = created in Nodeless, no import row), host, check and install
 * operations on an imported or demo cluster are refused with a 409 naming the cluster and why,
 * and `clusters.delete` of one removes its import row and its kubeconfig secret with it.
 * Nothing here connects to a cluster: imports only store the kubeconfig.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBackend } from '../src/backend.ts';
import { DATABASE_FILE } from '../src/backend.ts';
import { client, mutate, startTestBackend, tempDir } from './support.ts';

const KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'clusters: [{name: k, cluster: {server: "https://127.0.0.1:1"}}]',
  'users: [{name: u, user: {token: not-a-real-token}}]',
  'contexts: [{name: c, context: {cluster: k, user: u}}]',
  'current-context: c',
  '',
].join('\n');

let dataDir: string;
let backend: RunningBackend;
let demoId: string;
let importedId: string;
let installedId: string;

beforeAll(async () => {
  dataDir = tempDir('unmanaged');
  const demoFile = path.join(dataDir, 'demo.kubeconfig');
  fs.writeFileSync(demoFile, KUBECONFIG, { mode: 0o600 });
  backend = await startTestBackend({ dataDir, workspace: { demoKubeconfig: demoFile } });
  const api = client(backend);
  demoId = (await api.workspace.clusters.query()).find((c) => c.source === 'demo')?.id ?? '';
  importedId = (
    await api.workspace.importKubeconfig.mutate({ name: 'theirs', text: KUBECONFIG, context: 'c' })
  ).id;
  installedId = (await api.clusters.create.mutate({ name: 'ours' })).id;
});
afterAll(async () => {
  await backend?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The 409's message of a refused call. */
async function refusal(procedure: string, input: unknown): Promise<string> {
  const res = await mutate(backend, procedure, input);
  expect(res.status, `${procedure}: ${res.body}`).toBe(409);
  return (JSON.parse(res.body) as { error: { message: string } }).error.message;
}

describe('inventory sources', () => {
  it('lists every cluster with its source', async () => {
    const list = await client(backend).inventory.list.query();
    const source = Object.fromEntries(list.map((c) => [c.name, c.source]));
    expect(source).toEqual({ Demo: 'demo', theirs: 'imported', ours: 'installed' });
    expect(list.every((c) => c.hosts.length === 0)).toBe(true);
  });
});

describe('host, check and install operations', () => {
  const host = (clusterId: string) => ({
    clusterId,
    address: '10.0.0.9',
    port: 22,
    user: 'root',
    role: 'server',
    auth: { kind: 'agent' },
    sudo: { kind: 'none' },
  });

  it('are refused on an imported cluster, naming it and why', async () => {
    const why =
      /^Cluster "theirs" was imported from a kubeconfig: Nodeless does not manage its machines/;
    expect(await refusal('hosts.add', host(importedId))).toMatch(why);
    expect(await refusal('hosts.add', host(importedId))).toMatch(/cannot add hosts to it/);
    expect(await refusal('onboarding.check', { clusterId: importedId })).toMatch(why);
    expect(await refusal('bootstrap.addHosts', { clusterId: importedId, hostIds: ['h1'] })).toMatch(
      why,
    );
    expect(
      await refusal('bootstrap.reset', { clusterId: importedId, confirmName: 'theirs' }),
    ).toMatch(why);
    expect(await refusal('bootstrap.removeHost', { clusterId: importedId, hostId: 'h1' })).toMatch(
      why,
    );
  });

  it('are refused on the demo, which is simulated', async () => {
    const why =
      /^Cluster "Demo" is the demo, a simulated cluster: Nodeless does not manage its machines/;
    expect(await refusal('hosts.add', host(demoId))).toMatch(why);
    expect(await refusal('onboarding.check', { clusterId: demoId })).toMatch(why);
    expect(await refusal('bootstrap.reset', { clusterId: demoId, confirmName: 'Demo' })).toMatch(
      why,
    );
  });

  it('still work on a cluster created in Nodeless', async () => {
    const res = await mutate(backend, 'hosts.add', host(installedId));
    expect(res.status, res.body).toBe(200);
    const list = await client(backend).inventory.list.query();
    expect(list.find((c) => c.id === installedId)?.hosts).toHaveLength(1);
  });
});

describe('clusters.delete of an imported cluster', () => {
  it('removes its import row and its kubeconfig secret', async () => {
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    const secretOf = (id: string) =>
      db
        .prepare<[string], { kubeconfig_secret_id: string }>(
          'SELECT kubeconfig_secret_id FROM cluster_imports WHERE cluster_id = ?',
        )
        .get(id)?.kubeconfig_secret_id;
    const secretExists = (id: string) =>
      db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM secrets WHERE id = ?').get(id)
        ?.n === 1;
    try {
      const secret = secretOf(importedId);
      expect(secret).toBeDefined();
      expect(secretExists(secret ?? '')).toBe(true);
      expect(await client(backend).clusters.delete.mutate({ id: importedId })).toEqual({
        id: importedId,
      });
      expect(secretOf(importedId)).toBeUndefined();
      expect(secretExists(secret ?? '')).toBe(false);
      const names = (await client(backend).workspace.clusters.query()).map((c) => c.name);
      expect(names).not.toContain('theirs');
    } finally {
      db.close();
    }
  });
});
