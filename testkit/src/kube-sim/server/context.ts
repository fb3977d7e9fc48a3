/**
 * What every handler needs: the store, registry, clock, authn/authz, hooks, plus the parsed
 * request. Built once per server; `Call` once per request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authenticator, UserInfo } from '../auth/authn.ts';
import type { RbacAuthorizer } from '../auth/rbac.ts';
import type { SimClock } from '../clock.ts';
import type { MetricsProvider, PodLogs } from '../hooks.ts';
import type { ResourceRegistry } from '../registry/registry.ts';
import type { ResourceInfo } from '../registry/resources.ts';
import type { MemoryStore } from '../store/memory-store.ts';
import type { KubeObject, ResourceKey } from '../store/types.ts';
import type { RequestInfo } from './request-info.ts';

export interface ApiContext {
  store: MemoryStore;
  registry: ResourceRegistry;
  clock: SimClock;
  authn: Authenticator;
  authz: RbacAuthorizer;
  logs: PodLogs;
  metrics(): MetricsProvider | undefined;
  /** Real-time interval between watch BOOKMARK events. */
  bookmarkIntervalMs: number;
  /** Default watch duration when the client sets no timeoutSeconds (real seconds). */
  watchTimeoutSeconds: number;
  /** Allocates a ClusterIP for a new Service. */
  nextServiceIp(): string;
  /** Open long-running responses, closed on stop. */
  streams: Set<ServerResponse>;
}

export interface Call {
  ctx: ApiContext;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: RequestInfo;
  ri: ResourceInfo;
  /** Store key with the requested version. */
  key: ResourceKey;
  user: UserInfo;
  apiVersion: string;
}

/** ISO time without milliseconds, from the simulated clock. */
export function nowIso(ctx: ApiContext): string {
  return new Date(ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Returns the object as the requested version (only apiVersion differs between versions). */
export function stamp(o: KubeObject, apiVersion: string): KubeObject {
  return o.apiVersion === apiVersion ? o : { ...o, apiVersion };
}
