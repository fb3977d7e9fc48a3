/**
 * Issue 5 through the API, against real test hosts: a check asks for trust on first contact
 * (with the fingerprint the host really has), trusting re-probes the live key, the re-check
 * shows facts, sandbox readiness and capacity; reports are pushed to late subscribers and
 * survive a restart; a regenerated key is a `changed` stop that only `replace` overrides; an
 * occupied 6443 blocks with a remedy; secrets appear nowhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterCheckView, HostCheckView, OnboardingEvent } from '../src/api/index.ts';
import type { RunningBackend } from '../src/backend.ts';
import { LOG_FILE } from '../src/backend.ts';
import {
  encryptedKey,
  engineOptions,
  inv,
  sampleProcesses,
  setupFleet,
  testHost,
  type OnboardingWorld,
} from './onboarding-fleet.ts';
import { SseReader, client, mutate, request, startTestBackend, tempDir } from './support.ts';

let world: OnboardingWorld;
let dataDir: string;
let backend: RunningBackend;
let api: ReturnType<typeof client>;
let clusterId: string;
const hostIds: string[] = [];
const passphrase = `pp-${process.pid}-${Date.now()}-secret`;
let sudoPassword: string;
/** Every API response body and SSE message seen, for the leak check. */
const seen: string[] = [];

const start = async () => {
  backend = await startTestBackend({ dataDir, onboarding: engineOptions(world) });
  api = client(backend);
};

beforeAll(async () => {
  world = await setupFleet();
  dataDir = tempDir('obk-data');
  sudoPassword = inv(world, 2).accounts.ops.sudoPassword;
  await start();
  const cluster = await api.clusters.create.mutate({ name: 'obk-lab' });
  clusterId = cluster.id;
  const admin = inv(world, 0).accounts.admin.keyPath;
  const opsKey = encryptedKey(world.home, inv(world, 2).accounts.ops.keyPath, passphrase);
  const specs = [
    { i: 0, role: 'server', user: 'admin', auth: { kind: 'key', keyPath: admin } },
    { i: 1, role: 'agent', user: 'admin', auth: { kind: 'key', keyPath: admin } },
    { i: 2, role: 'agent', user: 'ops', auth: { kind: 'key', keyPath: opsKey, passphrase } },
  ] as const;
  for (const s of specs) {
    const host = await api.hosts.add.mutate({
      clusterId,
      address: inv(world, s.i).address,
      port: 22,
      user: s.user,
      role: s.role,
      auth: s.auth,
      sudo:
        s.user === 'ops' ? { kind: 'password', password: sudoPassword } : { kind: 'passwordless' },
    });
    seen.push(JSON.stringify(host));
    hostIds.push(host.id);
  }
});

afterAll(async () => {
  await backend?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  await world?.release();
});

const events = () =>
  SseReader.open(backend, { path: 'onboarding.events', input: { clusterId }, ready: null });

/** Starts a check and waits for its report on `reader`. */
async function runCheck(reader: SseReader, ids?: string[]): Promise<ClusterCheckView> {
  const { checkId } = await api.onboarding.check.mutate({
    clusterId,
    ...(ids ? { hostIds: ids } : {}),
  });
  const finished = (await reader.waitFor(
    (e) =>
      (e as OnboardingEvent).type === 'check.finished' &&
      (e as { checkId: string }).checkId === checkId,
    90_000,
  )) as Extract<OnboardingEvent, { type: 'check.finished' }>;
  seen.push(JSON.stringify(finished));
  return finished.report;
}

function hostOf(report: ClusterCheckView, i: number): HostCheckView {
  const h = report.hosts.find((x) => x.hostId === hostIds[i]);
  if (!h) throw new Error(`report has no host #${i}`);
  return h;
}

const trust = (i: number, fingerprint: string, replace?: boolean) =>
  api.onboarding.trustHostKey.mutate({
    hostId: hostIds[i] ?? '',
    fingerprint,
    ...(replace ? { replace } : {}),
  });

describe('onboarding API', () => {
  it('asks for trust, trusts the live key, then reports facts, sandbox and capacity', async () => {
    const reader = await events();
    const first = await runCheck(reader);
    const started = reader.events.find((e) => (e as OnboardingEvent).type === 'check.started');
    expect(started).toMatchObject({ clusterId, hostIds });
    for (const id of hostIds) {
      expect(reader.events).toContainEqual(
        expect.objectContaining({
          type: 'check.progress',
          hostId: id,
          step: 'connect',
          state: 'running',
          max: 5,
        }),
      );
    }
    for (const i of [0, 1, 2]) {
      const h = hostOf(first, i);
      expect(h.status).toBe('needs-trust');
      expect(h.hostKey).toEqual({
        fingerprint: inv(world, i).hostKeySha256,
        keyType: 'ssh-ed25519',
        status: 'unknown',
        knownFingerprints: [],
      });
    }
    expect(first.blocking).toBe(true);

    for (const i of [0, 1, 2]) {
      const r = await trust(i, inv(world, i).hostKeySha256);
      expect(r).toEqual({ hostId: hostIds[i], fingerprint: inv(world, i).hostKeySha256 });
    }
    const second = await runCheck(reader);
    for (const i of [0, 1, 2]) {
      const h = hostOf(second, i);
      expect(['ok', 'warn']).toContain(h.status);
      expect(h.hostKey).toBeUndefined();
      expect(h.sandbox).toBe('gvisor-only');
      expect(h.facts?.os).toMatch(/Debian/);
      expect(h.facts?.cpus).toBeGreaterThan(0);
      expect(h.capacity?.vcpu).toBeGreaterThan(0);
      expect(h.verdicts.some((v) => v.rule === 'sandbox')).toBe(true);
    }
    expect(second.blocking).toBe(false);
    expect(second.capacity.totalVcpu).toBeGreaterThan(0);
    expect(
      second.capacity.podsBySpec.find((p) => p.label === '0.25 vCPU / 0.5 GiB')?.pods,
    ).toBeGreaterThan(0);
    expect(second.cluster.verdicts.some((v) => v.rule === 'servers' && v.level === 'ok')).toBe(
      true,
    );

    // A second window gets the latest report at once.
    const late = await SseReader.open(backend, {
      path: 'onboarding.events',
      input: { clusterId },
      ready: (e) => (e as OnboardingEvent).type === 'check.finished',
    });
    expect(late.events[0]).toMatchObject({ type: 'check.finished', checkId: second.checkId });
    seen.push(...reader.raw, ...late.raw);
    await Promise.all([reader.close(), late.close()]);

    // The report survives a restart.
    await backend.close();
    await start();
    const persisted = await api.onboarding.lastReport.query({ clusterId });
    expect(persisted).toEqual(second);
    seen.push(JSON.stringify(persisted));
  });

  it('refuses a second concurrent check and a fingerprint the host does not have (409)', async () => {
    const reader = await events();
    const { checkId } = await api.onboarding.check.mutate({
      clusterId,
      hostIds: [hostIds[0] ?? ''],
    });
    const again = await mutate(backend, 'onboarding.check', { clusterId });
    expect(again.status).toBe(409);
    expect(again.body).toMatch(/already running/);
    await reader.waitFor(
      (e) =>
        (e as { checkId?: string; type: string }).type === 'check.finished' &&
        (e as { checkId: string }).checkId === checkId,
      90_000,
    );
    await reader.close();

    const wrong = await mutate(backend, 'onboarding.trustHostKey', {
      hostId: hostIds[1],
      fingerprint: inv(world, 0).hostKeySha256,
    });
    expect(wrong.status).toBe(409);
    expect(wrong.body).toContain(inv(world, 1).hostKeySha256);
    const bad = await mutate(backend, 'onboarding.trustHostKey', {
      hostId: hostIds[1],
      fingerprint: 'nope',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('fingerprint');
    const unknown = await request(
      `${backend.url}/api/trpc/onboarding.lastReport?input=${encodeURIComponent(JSON.stringify({ clusterId: 'no-such-cluster' }))}`,
      { headers: { authorization: `Bearer ${backend.token}` } },
    );
    expect(unknown.status).toBe(404);
  });

  it('stops a changed host key with both fingerprints; only replace re-trusts it', async () => {
    const h = testHost(world, 1);
    const old = inv(world, 1).hostKeySha256;
    const fresh = await h.regenerateHostKey();
    try {
      const reader = await events();
      const report = await runCheck(reader, [hostIds[1] ?? '']);
      const view = hostOf(report, 1);
      expect(view.status).toBe('needs-trust');
      expect(view.hostKey).toMatchObject({
        status: 'changed',
        fingerprint: fresh,
        knownFingerprints: [old],
      });
      expect(view.failure?.message).toContain(old);
      expect(view.failure?.message).toContain(fresh);

      const noReplace = await mutate(backend, 'onboarding.trustHostKey', {
        hostId: hostIds[1],
        fingerprint: fresh,
      });
      expect(noReplace.status).toBe(409);
      expect(noReplace.body).toMatch(/replace/);
      await trust(1, fresh, true);
      const after = await runCheck(reader, [hostIds[1] ?? '']);
      expect(['ok', 'warn']).toContain(hostOf(after, 1).status);
      await reader.close();
    } finally {
      await h.restoreHostKey();
      await api.onboarding.forgetHostKey.mutate({ hostId: hostIds[1] ?? '' });
      await trust(1, old);
    }
  });

  it('blocks a server whose port 6443 is taken, with a remedy', async () => {
    const h = testHost(world, 0);
    await h.occupyPort(6443);
    try {
      const reader = await events();
      const report = await runCheck(reader, [hostIds[0] ?? '']);
      await reader.close();
      const view = hostOf(report, 0);
      expect(view.status).toBe('block');
      const port = view.verdicts.find((v) => v.rule === 'port-6443');
      expect(port).toMatchObject({ level: 'block' });
      expect(port?.reason).toMatch(/6443/);
      expect(port?.remedy).toBeTruthy();
      expect(report.blocking).toBe(true);
    } finally {
      await h.releasePort(6443);
    }
  });

  it('keeps the sudo password and key passphrase out of responses, events, logs and process lists', async () => {
    const sampler = sampleProcesses(testHost(world, 2));
    const reader = await events();
    const report = await runCheck(reader, [hostIds[2] ?? '']);
    const { remote, local } = await sampler.stop();
    await reader.close();
    expect(hostOf(report, 2).status).not.toBe('failed');
    expect(remote.length).toBeGreaterThan(2);
    // The sampler saw the privileged commands run (so it would have seen a password in argv).
    expect(remote.some((ps) => ps.includes('sudo -S'))).toBe(true);
    seen.push(...reader.raw, JSON.stringify(await api.inventory.list.query()));
    const log = fs.readFileSync(path.join(dataDir, LOG_FILE), 'utf8');
    expect(log).toContain('onboarding.check_finished');
    const everything = [...seen, log, ...remote, ...local].join('\n');
    expect(everything).not.toContain(sudoPassword);
    expect(everything).not.toContain(passphrase);
  });
});
