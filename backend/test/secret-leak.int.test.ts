/**
 * Point 6 of issue 2: a scenario that stores a password, a key passphrase and a sudo password
 * through the API, then lists, updates and subscribes. None of the secret values (nor the
 * launch token, in the logs) may appear in any API response, SSE message, log file, stdout or
 * stderr of the process, its argv, or — in plaintext — the database file.
 *
 * The k3s join token exists only after an install, so its leak test lives with the install
 * (bootstrap.int.test.ts, "the join token shows in no run log, event, API response, log file
 * or journal"): that suite already installs a server and an agent that joins with the token.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/backend.ts';
import {
  SseReader,
  fakeKeyFile,
  fakeRendererDir,
  mutate,
  request,
  spawnServe,
  tempDir,
  type RawResponse,
} from './support.ts';

const dataDir = tempDir('leak');
const keyDir = tempDir('leak-keys');
const rendererDir = fakeRendererDir();
afterAll(() => {
  for (const dir of [dataDir, keyDir, rendererDir])
    fs.rmSync(dir, { recursive: true, force: true });
});

// Distinct, greppable values; none is a substring of anything else the backend emits.
const SECRETS = {
  password: 'Leak-Pw-7f3a9c2e',
  passphrase: 'Leak-Phrase-91bd04',
  sudo: 'Leak-Sudo-44e2aa17',
  newPassword: 'Leak-NewPw-5c0ffee1',
  rejected: 'Leak-Rejected-0b1e55',
};

function hitsIn(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

it('never shows a stored secret in responses, events, logs, argv or the DB file', async () => {
  const serve = await spawnServe({
    NODELESS_DATA_DIR: dataDir,
    NODELESS_RENDERER_DIR: rendererDir,
    NODELESS_LOG_STDERR: '1',
  });
  const responses: RawResponse[] = [];
  const call = async (procedure: string, input: unknown) => {
    const res = await mutate(serve, procedure, input);
    responses.push(res);
    return res;
  };
  const sse = await SseReader.open(serve);
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${serve.child.pid}/cmdline`, 'utf8');
    const cluster = JSON.parse((await call('clusters.create', { name: 'leaky' })).body).result.data;
    const keyHost = await call('hosts.add', {
      clusterId: cluster.id,
      address: '10.1.0.1',
      user: 'root',
      role: 'server',
      auth: { kind: 'key', keyPath: fakeKeyFile(keyDir), passphrase: SECRETS.passphrase },
      sudo: { kind: 'password', password: SECRETS.sudo },
    });
    expect(keyHost.status).toBe(200);
    const pwHost = await call('hosts.add', {
      clusterId: cluster.id,
      address: '10.1.0.2',
      user: 'admin',
      role: 'agent',
      auth: { kind: 'password', password: SECRETS.password },
      sudo: { kind: 'passwordless' },
    });
    expect(pwHost.status).toBe(200);
    const pwHostId = JSON.parse(pwHost.body).result.data.id as string;
    const updated = await call('hosts.update', {
      id: pwHostId,
      address: '10.1.0.2',
      user: 'admin',
      role: 'agent',
      auth: { kind: 'password', password: SECRETS.newPassword },
      sudo: { kind: 'password', password: SECRETS.sudo },
    });
    expect(updated.status).toBe(200);
    // Rejected before it could be stored: the log must still mask it.
    const rejected = await call('hosts.add', {
      clusterId: cluster.id,
      address: 'bad address',
      user: 'root',
      role: 'agent',
      auth: { kind: 'password', password: SECRETS.rejected },
      sudo: { kind: 'none' },
    });
    expect(rejected.status).toBe(400);
    const list = await request(`${serve.url}/api/trpc/inventory.list`, {
      headers: { authorization: `Bearer ${serve.token}` },
    });
    responses.push(list);
    expect(JSON.parse(list.body).result.data[0].hosts).toHaveLength(2);
    await sse.waitFor(
      (e) =>
        (e as { type: string }).type === 'cluster.upserted' &&
        JSON.stringify(e).includes('"sudo":{"kind":"password","passwordSet":true}') &&
        JSON.stringify(e).includes('10.1.0.2'),
    );
  } finally {
    await sse.close();
    serve.child.kill('SIGTERM');
  }
  expect(await serve.exited).toMatchObject({ code: 0 });

  const logDir = path.join(dataDir, 'logs');
  const logs = fs
    .readdirSync(logDir)
    .map((name) => fs.readFileSync(path.join(logDir, name), 'utf8'))
    .join('\n');
  // The scenario was logged (inputs included), so the grep below looks at real content.
  expect(logs).toContain('"path":"hosts.update"');
  expect(logs).toContain('"keyPath"');
  expect(responses.length).toBeGreaterThanOrEqual(6);
  expect(sse.raw.length).toBeGreaterThanOrEqual(4);

  expect(responses.flatMap((r) => hitsIn(r.body + JSON.stringify(r.headers)))).toEqual([]);
  expect(hitsIn(sse.raw.join('\n'))).toEqual([]);
  expect(hitsIn(logs)).toEqual([]);
  expect(logs).not.toContain(serve.token);
  expect(hitsIn(serve.stderr())).toEqual([]);
  expect(serve.stderr()).not.toContain(serve.token);
  expect(hitsIn(serve.stdoutLines.join('\n'))).toEqual([]);
  expect(cmdline).toContain('serve.ts');
  expect(hitsIn(cmdline)).toEqual([]);
  expect(cmdline).not.toContain(serve.token);

  const dbFiles = fs.readdirSync(dataDir).filter((f) => f.startsWith(DATABASE_FILE));
  const dbBytes = Buffer.concat(dbFiles.map((f) => fs.readFileSync(path.join(dataDir, f))));
  expect(hitsIn(dbBytes.toString('latin1'))).toEqual([]);
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  // The replaced password's ciphertext is gone; four secrets remain, all ciphertext.
  expect(db.prepare('SELECT count(*) AS n FROM secrets').get()).toEqual({ n: 4 });
  db.close();
});
