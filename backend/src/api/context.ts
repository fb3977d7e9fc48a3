/**
 * What every API procedure can reach. One context object is shared by all HTTP requests of a
 * backend, and copied per WebSocket with that socket's {@link ApiContext.transport};
 * per-request data (the abort signal) comes from tRPC itself.
 */
import type { BootstrapOperations } from '../bootstrap/operations.ts';
import type { WorkspaceService } from '../clusters/workspace-service.ts';
import type { SubscribeOptions } from '../feed/types.ts';
import type { InventoryService } from '../inventory/service.ts';
import type { Logger } from '../log/logger.ts';
import type { MeterService } from '../meter/service.ts';
import type { OnboardingService } from '../onboarding/service.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { TenantsService } from '../tenants/service.ts';
import type { UsageService } from '../usage/service.ts';

export interface ApiContext {
  inventory: InventoryService;
  onboarding: OnboardingService;
  bootstrap: BootstrapOperations;
  /** The cluster workspace: clusters of every source, connections, feeds, Overview. */
  workspace: WorkspaceService;
  /** Tenants of any connectable cluster, with the workspace's admin credentials. */
  tenants: TenantsService;
  /** The in-cluster meter: status anywhere, install/uninstall on imported clusters and the demo. */
  meter: MeterService;
  /** Metering: the ledger's sync, the bill, prices (issue 15). */
  usage: UsageService;
  logger: Logger;
  version: string;
  secretStore: SecretBox['kind'];
  clock: () => Date;
  /** Aborts when the backend closes, so open subscriptions end and the server can stop. */
  shutdown: AbortSignal;
  /**
   * What the transport tells a subscription; every subscription passes it to its feed or bus.
   * Set per WebSocket (http/websocket.ts: `writable()` waits while the socket's send buffer is
   * over its bound, because tRPC's WebSocket adapter pulls eagerly and `ws.send()` queues
   * without bound); absent over HTTP, where SSE pulls only as the response drains.
   */
  transport?: SubscribeOptions;
}
