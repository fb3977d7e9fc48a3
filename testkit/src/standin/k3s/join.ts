/**
 * The joining side of the supervisor protocol (agents and joining servers): fetch and verify
 * the cluster CA against the token's hash, register, heartbeat. The stand-in's own
 * `/v1-k3s/stand-in/*` endpoints replace k3s's certificate bootstrap; what callers observe
 * (token accepted or refused, node appears, stays Ready) matches k3s.
 *
 * @see https://docs.k3s.io/cli/token
 * @see https://docs.k3s.io/architecture#how-agent-node-registration-works
 */
import https from 'node:https';
import { caHash, parseToken } from './token.ts';
import type { NodeRegistration } from './nodes.ts';

/** A refusal that ends the process (k3s exits with a fatal log line). */
export class FatalJoinError extends Error {}

interface HttpResult {
  status: number;
  body: string;
}

function request(
  url: URL,
  options: { method?: string; ca?: string; auth?: string; body?: unknown },
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: url.hostname,
        port: url.port || 443,
        path: url.pathname,
        method: options.method ?? 'GET',
        timeout: 10_000,
        ...(options.ca
          ? { ca: options.ca, checkServerIdentity: () => undefined }
          : { rejectUnauthorized: false }),
        headers: {
          ...(options.auth
            ? { authorization: `Basic ${Buffer.from(options.auth).toString('base64')}` }
            : {}),
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

/** Answer of a successful join. */
export interface JoinResult {
  readonly caPem: string;
  /** Admin kubeconfig material, only for joining servers. */
  readonly admin?: { certPem: string; keyPem: string };
  readonly heartbeatSeconds: number;
}

/** A connection to the cluster through one server's supervisor. */
export class SupervisorClient {
  private caPem: string | undefined;
  constructor(
    readonly server: string,
    private readonly token: string,
    private readonly role: 'server' | 'agent',
  ) {}

  private url(path: string): URL {
    return new URL(path, this.server.endsWith('/') ? this.server : `${this.server}/`);
  }

  private auth(): string {
    return `${this.role === 'server' ? 'server' : 'node'}:${parseToken(this.token).password}`;
  }

  /** GET /cacerts and check it against the token's CA hash (full tokens only). */
  async fetchCa(): Promise<string> {
    const parsed = parseToken(this.token);
    const r = await request(this.url('cacerts'), {});
    if (r.status !== 200) throw new Error(`${this.url('cacerts').href}: ${r.status}`);
    if (parsed.caHash && caHash(r.body) !== parsed.caHash) {
      throw new FatalJoinError(
        `token CA hash does not match the Cluster CA certificate hash: ${parsed.caHash} != ${caHash(r.body)}`,
      );
    }
    this.caPem = r.body;
    return r.body;
  }

  /**
   * Fetches the node's configuration (k3s's agent bootstrap): the CA is verified and the
   * token checked, nothing is registered. A wrong token is fatal (401), like k3s.
   */
  async config(reg: NodeRegistration): Promise<void> {
    await this.post('config', reg);
  }

  /** Registers the node; a wrong token is fatal (401), like k3s. */
  async join(reg: NodeRegistration): Promise<JoinResult> {
    return JSON.parse(await this.post('join', reg)) as JoinResult;
  }

  private async post(what: 'config' | 'join', reg: NodeRegistration): Promise<string> {
    const ca = this.caPem ?? (await this.fetchCa());
    const u = this.url(`v1-k3s/stand-in/${what}`);
    const r = await request(u, { method: 'POST', ca, auth: this.auth(), body: reg });
    if (r.status === 401)
      throw new FatalJoinError(`failed to validate token: ${u.href}: 401 Unauthorized`);
    if (r.status !== 200) throw new Error(`${u.href}: ${r.status} ${r.body.trim()}`);
    return r.body;
  }

  /** Refreshes the node's heartbeat (Ready). */
  async heartbeat(reg: NodeRegistration): Promise<void> {
    const u = this.url('v1-k3s/stand-in/heartbeat');
    const r = await request(u, { method: 'POST', ca: this.caPem, auth: this.auth(), body: reg });
    if (r.status === 401)
      throw new FatalJoinError(`failed to validate token: ${u.href}: 401 Unauthorized`);
    if (r.status !== 200) throw new Error(`${u.href}: ${r.status}`);
  }
}
