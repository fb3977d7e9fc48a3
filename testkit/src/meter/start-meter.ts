/**
 * The meter on the test substrates (issue 15: "the meter runs as a process with its
 * ServiceAccount's token, the same entry point and flags"): creates the meter's RBAC (the very
 * objects the install applies, cluster-runtime's meter-rbac.ts), asks the API server for a token
 * of ServiceAccount `nodeless-meter` (TokenRequest), and runs `meter/src/main.ts` as a child
 * process with the production flags.
 *
 * The product reads the in-cluster config from fixed paths (/var/run/secrets/kubernetes.io/
 * serviceaccount/{token,ca.crt,namespace}, client-node's loadFromCluster). So that the product
 * path stays unchanged, the process runs in its own mount namespace (`unshare --mount`, as root)
 * where a per-meter directory is bind-mounted over /run/secrets (/var/run is /run): each replica
 * sees its own token and the host sees nothing. KUBERNETES_SERVICE_HOST/PORT point at the API
 * server as the kubelet's environment would.
 *
 * The process is `node --import tsx …` itself (no tsx wrapper process), so kill() (SIGKILL)
 * really kills the meter, as a node failure would.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
 * @see https://man7.org/linux/man-pages/man1/unshare.1.html
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createKubeClient,
  kubeConfigFromText,
  LEDGER_NAMESPACE,
  METER_NAME,
  meterArgs,
  meterRbacList,
  RESOURCES,
  isConflict,
  type KubeClient,
} from '@nodeless/cluster-runtime';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const METER_MAIN = path.join(REPO, 'meter/src/main.ts');
/** Where the product reads its ServiceAccount (the kubelet mounts it there in a pod). */
const SECRETS_MOUNT = '/run/secrets';

export interface StartMeterOptions {
  /** The replica's name (`--identity`); default `meter-<random>`. */
  identity?: string;
  namespace?: string;
  /** `--sample-interval`; default the Deployment's (15s). */
  sampleInterval?: string;
  retentionDays?: number;
  /** `--health-port`; default a free port (two replicas share the host). */
  healthPort?: number;
  /** Token lifetime asked for (TokenRequest's minimum is 600). Default 3600. */
  tokenSeconds?: number;
  /**
   * Runs this JavaScript file with plain node instead of meter/src/main.ts through tsx — the
   * image's esbuild bundle (meter/scripts/image/bundle.ts), so a bench measures what ships.
   * Same flags, same ServiceAccount.
   */
  script?: string;
  /** Mirror the meter's output here too (debugging). */
  onLine?: (line: string) => void;
}

export interface StartedMeter {
  readonly identity: string;
  readonly pid: number;
  readonly healthPort: number;
  /** Every line the process wrote (stdout and stderr), in order. */
  readonly logs: string[];
  /** The JSON log events (`event` field) written so far. */
  events(): Array<Record<string, unknown> & { event: string }>;
  /** Resolves with the first event named `event` (from the start), or rejects after `ms`. */
  waitForEvent(event: string, ms?: number): Promise<Record<string, unknown>>;
  /** SIGTERM (graceful: finishes its work, releases the Lease), then waits for the exit. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crashed node: nothing released. */
  kill(): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

/** Something with an admin kubeconfig: startControlPlane's and kube-sim's results both have one. */
export type MeterTarget = string | { readonly kubeconfig: string };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Runs a create; an object that already exists is fine. */
async function ensure(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (e) {
    if (!isConflict(e)) throw e;
  }
}

/** Creates the namespace and the meter's RBAC (as the install does); idempotent. */
export async function ensureMeterRbac(client: KubeClient, namespace = LEDGER_NAMESPACE) {
  await ensure(() =>
    client.create(RESOURCES.namespaces, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    }),
  );
  for (const o of meterRbacList(namespace)) await client.apply(o);
}

/** A token of the meter's ServiceAccount (TokenRequest). */
export async function meterToken(
  client: KubeClient,
  namespace = LEDGER_NAMESPACE,
  seconds = 3600,
): Promise<string> {
  const r = await client.createSubresource<{ status?: { token?: string } }>(
    RESOURCES.serviceAccounts,
    METER_NAME,
    namespace,
    'token',
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: seconds },
    },
  );
  const token = r.status?.token;
  if (!token) throw new Error('TokenRequest answered without a token');
  return token;
}

/**
 * The Deployment's flags (cluster-runtime's meterArgs, one definition), with the values a test
 * asks for instead: the flags stay the same, two replicas on one host need two health ports.
 */
export function substrateMeterArgs(identity: string, values: Record<string, string>): string[] {
  const args = meterArgs(identity);
  for (const [flag, value] of Object.entries(values)) {
    const i = args.indexOf(flag);
    if (i < 0) throw new Error(`the meter has no flag ${flag}`);
    args[i + 1] = value;
  }
  return args;
}

function assertCanUnshare(): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'startMeter runs the meter in its own mount namespace (unshare --mount) so it reads its ' +
        'ServiceAccount from the in-cluster paths: that needs root',
    );
  }
}

export async function startMeter(
  target: MeterTarget,
  options: StartMeterOptions = {},
): Promise<StartedMeter> {
  assertCanUnshare();
  const kubeconfig = typeof target === 'string' ? target : target.kubeconfig;
  const namespace = options.namespace ?? LEDGER_NAMESPACE;
  const identity = options.identity ?? `meter-${Math.random().toString(36).slice(2, 8)}`;
  const client = createKubeClient(kubeconfig);
  await ensureMeterRbac(client, namespace);
  const token = await meterToken(client, namespace, options.tokenSeconds ?? 3600);

  const cluster = kubeConfigFromText(kubeconfig).getCurrentCluster();
  const url = new URL(cluster?.server ?? '');
  const ca = cluster?.caData
    ? Buffer.from(cluster.caData, 'base64').toString()
    : cluster?.caFile
      ? fs.readFileSync(cluster.caFile, 'utf8')
      : undefined;
  if (!ca) throw new Error('the kubeconfig names no CA for the API server');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-meter-'));
  const sa = path.join(dir, 'secrets/kubernetes.io/serviceaccount');
  fs.mkdirSync(sa, { recursive: true });
  fs.writeFileSync(path.join(sa, 'token'), token, { mode: 0o600 });
  fs.writeFileSync(path.join(sa, 'ca.crt'), ca);
  fs.writeFileSync(path.join(sa, 'namespace'), namespace);
  // The mount point must exist on the host; it stays empty there.
  fs.mkdirSync(SECRETS_MOUNT, { recursive: true });

  const healthPort = options.healthPort ?? (await freePort());
  const args = substrateMeterArgs(identity, {
    '--namespace': namespace,
    '--health-port': String(healthPort),
    ...(options.sampleInterval ? { '--sample-interval': options.sampleInterval } : {}),
    ...(options.retentionDays ? { '--retention-days': String(options.retentionDays) } : {}),
  });
  const child: ChildProcess = spawn(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      'mount --bind "$0" "$1" && shift && exec "$@"',
      path.join(dir, 'secrets'),
      SECRETS_MOUNT,
      process.execPath,
      ...(options.script ? [options.script] : ['--import', 'tsx', METER_MAIN]),
      ...args,
    ],
    {
      cwd: REPO,
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        KUBERNETES_SERVICE_HOST: url.hostname.replace(/^\[|\]$/g, ''),
        KUBERNETES_SERVICE_PORT: url.port || '443',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: string[] = [];
  const waiters = new Set<() => void>();
  const onData = (buffered: { rest: string }) => (d: Buffer) => {
    buffered.rest += d.toString();
    const lines = buffered.rest.split('\n');
    buffered.rest = lines.pop() ?? '';
    for (const line of lines) {
      logs.push(line);
      options.onLine?.(line);
    }
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData({ rest: '' }));
  child.stderr?.on('data', onData({ rest: '' }));
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      fs.rmSync(dir, { recursive: true, force: true });
      for (const w of waiters) w();
      // null when a signal ended it (kill()).
      resolve(signal ? null : code);
    });
  });

  const events = () =>
    logs.flatMap((l) => {
      try {
        const o = JSON.parse(l) as Record<string, unknown>;
        return typeof o['event'] === 'string'
          ? [o as Record<string, unknown> & { event: string }]
          : [];
      } catch {
        return [];
      }
    });

  return {
    identity,
    pid: child.pid ?? -1,
    healthPort,
    logs,
    events,
    exited,
    waitForEvent(event, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events().find((e) => e.event === event);
          if (hit) {
            cleanup();
            resolve(hit);
          } else if (done) {
            cleanup();
            reject(new Error(`meter ${identity} exited before "${event}":\n${logs.join('\n')}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(`meter ${identity}: no "${event}" within ${ms} ms:\n${logs.join('\n')}`),
          );
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (done) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (!done) child.kill('SIGKILL');
      return exited;
    },
  };
}
