/**
 * Keep-alive connection pools for one KubeClient: one `https.Agent` (or `http.Agent` for a
 * plain-http server) per distinct TLS identity, so requests reuse sockets instead of paying a
 * TLS handshake and a CA parse each — client-node 1.4.0's `applySecurityAuthentication` builds
 * a new agent for every request (`createAgent`), which made TLS most of the meter's CPU at
 * 500 pod events/s.
 *
 * The identity is exactly what client-node puts into that agent's options: `ca`, `cert`, `key`,
 * `pfx`, `passphrase`, `rejectUnauthorized`, `servername` (plus the protocol). A changed
 * credential — an exec plugin's rotated client certificate, a reloaded kubeconfig — is a new
 * identity and so a new agent; bearer tokens are headers, set per request by client-node, so
 * exec-plugin and file tokens keep refreshing without touching the pool. Pools belong to one
 * client (one KubeConfig), so no socket is shared across clusters or credentials.
 *
 * Restarts (why a fresh agent per request once seemed safer): a pooled socket never outlives
 * {@link IDLE_SOCKET_MS} idle — well below kube-apiserver's `IdleTimeout` of 90 s, so the
 * server (which sends no `Keep-Alive: timeout=` hint, unlike Node servers, whose hint Node's
 * agent honours) does not close a socket as we reuse it; a server that dies closes its sockets
 * (FIN/RST), which takes them out of the free list; and the one race left — a request sent on
 * a socket the server is closing — is retried once on a fresh connection by ./transport.ts when
 * that is safe.
 *
 * Proxied clusters (`proxy-url`: client-node builds agent-base proxy agents) keep the agent
 * client-node built, unpooled, as before.
 *
 * @see https://github.com/kubernetes-client/javascript/blob/1.4.0/src/config.ts (applySecurityAuthentication, createAgent)
 * @see https://github.com/kubernetes/kubernetes/blob/v1.33.0/staging/src/k8s.io/apiserver/pkg/server/secure_serving.go (IdleTimeout: 90 * time.Second)
 * @see https://pkg.go.dev/net/http#Server (IdleTimeout: how long a keep-alive connection waits for the next request)
 * @see https://nodejs.org/api/http.html#new-agentoptions (keepAlive, maxSockets, timeout)
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/**
 * How long a pooled socket may sit idle before the client closes it: a third of
 * kube-apiserver's 90 s idle timeout, so the client always closes first.
 */
export const IDLE_SOCKET_MS = 30_000;
/**
 * Concurrent sockets per identity; more requests queue in the agent (their timeouts run).
 * client-go keeps up to 25 idle connections per host (MaxIdleConnsPerHost) and multiplexes
 * over HTTP/2; HTTP/1.1 needs a socket per request in flight.
 */
export const MAX_SOCKETS = 32;
/** Identities kept per client; the least recently used agent is dropped past this. */
const MAX_IDENTITIES = 4;

type Agent = http.Agent | https.Agent;

const bytes = (v: unknown): unknown =>
  Buffer.isBuffer(v) ? v.toString('base64') : Array.isArray(v) ? v.map(bytes) : (v ?? null);

/** What the agent was built with (`http.Agent` keeps them too; only its typings omit it). */
const optionsOf = (agent: Agent): https.AgentOptions =>
  (agent as { options?: https.AgentOptions }).options ?? {};

/** A digest of the TLS identity: secrets are never kept as readable map keys. */
function identityKey(agent: Agent): string {
  const o = optionsOf(agent);
  const parts = [
    agent instanceof https.Agent ? 'https' : 'http',
    bytes(o.ca),
    bytes(o.cert),
    bytes(o.key),
    bytes(o.pfx),
    o.passphrase ?? null,
    o.rejectUnauthorized ?? null,
    o.servername ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** The options of the agent client-node built, without the ones the pool sets itself. */
function identityOptions(agent: Agent): https.AgentOptions {
  const o = optionsOf(agent);
  const out: https.AgentOptions = {};
  if (o.ca !== undefined) out.ca = o.ca;
  if (o.cert !== undefined) out.cert = o.cert;
  if (o.key !== undefined) out.key = o.key;
  if (o.pfx !== undefined) out.pfx = o.pfx;
  if (o.passphrase !== undefined) out.passphrase = o.passphrase;
  if (o.rejectUnauthorized !== undefined) out.rejectUnauthorized = o.rejectUnauthorized;
  if (o.servername !== undefined) out.servername = o.servername;
  return out;
}

/** Pools only the two agent classes client-node builds without a proxy. */
const poolable = (agent: unknown): agent is Agent =>
  typeof agent === 'object' &&
  agent !== null &&
  (agent.constructor === https.Agent || agent.constructor === http.Agent);

export class AgentPool {
  readonly #agents = new Map<string, Agent>();

  /**
   * The pooled agent for the identity of `built` (the agent client-node built for a request),
   * or `built` itself when it is not one the pool handles.
   */
  agentFor<T>(built: T): T | Agent {
    if (!poolable(built)) return built;
    const key = identityKey(built);
    const found = this.#agents.get(key);
    if (found) {
      // Map order is insertion order: re-inserting makes it the most recently used.
      this.#agents.delete(key);
      this.#agents.set(key, found);
      return found;
    }
    const agent = this.#create(built);
    this.#agents.set(key, agent);
    // A dropped agent is not destroyed: requests in flight on it finish, and its idle sockets
    // close after IDLE_SOCKET_MS (they are unref'd, so they hold no process open).
    for (const old of this.#agents.keys()) {
      if (this.#agents.size <= MAX_IDENTITIES) break;
      this.#agents.delete(old);
    }
    return agent;
  }

  /**
   * A one-off agent of the same identity with keep-alive off: a guaranteed new connection, for
   * the retry after a pooled socket turned out closed.
   */
  freshAgentFor<T>(built: T): T | Agent {
    if (!poolable(built)) return built;
    const options = identityOptions(built);
    return built instanceof https.Agent ? new https.Agent(options) : new http.Agent(options);
  }

  /** How many identities have an agent (for tests). */
  get size(): number {
    return this.#agents.size;
  }

  #create(built: Agent): Agent {
    const options: https.AgentOptions = {
      ...identityOptions(built),
      keepAlive: true,
      // The agent's `timeout` is the idle timeout of free sockets: Node destroys a free socket
      // whose timeout fires (and shortens it to a server's `Keep-Alive: timeout=` hint - 1 s).
      timeout: IDLE_SOCKET_MS,
      maxSockets: MAX_SOCKETS,
      maxFreeSockets: MAX_SOCKETS,
      // Reuse the most recently used socket: the others go idle and time out, shrinking the
      // pool after a burst.
      scheduling: 'lifo',
    };
    return built instanceof https.Agent ? new https.Agent(options) : new http.Agent(options);
  }
}
