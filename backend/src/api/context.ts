/**
 * What every API procedure can reach. One context object is shared by all requests of a
 * backend; per-request data (the abort signal) comes from tRPC itself.
 */
import type { BootstrapOperations } from '../bootstrap/operations.ts';
import type { WorkspaceService } from '../clusters/workspace-service.ts';
import type { InventoryService } from '../inventory/service.ts';
import type { Logger } from '../log/logger.ts';
import type { OnboardingService } from '../onboarding/service.ts';
import type { SecretBox } from '../secrets/secret-box.ts';

export interface ApiContext {
  inventory: InventoryService;
  onboarding: OnboardingService;
  bootstrap: BootstrapOperations;
  /** The cluster workspace: clusters of every source, connections, feeds, Overview. */
  workspace: WorkspaceService;
  logger: Logger;
  version: string;
  secretStore: SecretBox['kind'];
  clock: () => Date;
  /** Aborts when the backend closes, so open subscriptions end and the server can stop. */
  shutdown: AbortSignal;
}
