/**
 * Dev entry (renderer/dev.html, `npx vite renderer` then /dev.html): the app on the fake
 * workspace API and an empty inventory, to look at the workspace screens without a backend.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { BootstrapApi } from '../api/bootstrap-api.ts';
import type { InventoryApi } from '../api/inventory-api.ts';
import type { OnboardingApi } from '../api/onboarding-api.ts';
import type { TenantsApi } from '../api/tenants-api.ts';
import type { WorkloadsDeployApi } from '../api/workloads-deploy-api.ts';
import type { WorkloadsOperateApi } from '../api/workloads-operate-api.ts';
import type { PodsLogsApi } from '../api/pods-logs-api.ts';
import type { WorkloadsYamlApi } from '../api/workloads-yaml-api.ts';
import { createInstallStore } from '../install/install-store.ts';
import { createOnboardingStore } from '../onboarding/onboarding-store.ts';
import { createInventoryStore } from '../store/inventory-store.ts';
import { connectInventory } from '../store/connect.ts';
import { App } from '../ui/App.tsx';
import { AppProvider, type AppDeps } from '../ui/app-context.tsx';
import { createWorkspaceHub } from '../workspace/workspace-hub.ts';
import { createFakeWorkspace } from './fake-workspace.ts';
import { createFakeUsage } from './fake-usage.ts';
import '../styles.css';
import '../onboarding/onboarding.css';
import '../onboarding/capacity.css';
import '../install/install.css';
import '../workspace/workspace.css';

/** Every call of an API the dev entry does not fake rejects. */
function unavailable<T extends object>(): T {
  return new Proxy({} as T, {
    get: () => () => Promise.reject(new Error('not available in the dev entry')),
  });
}

const inventoryApi: InventoryApi = {
  ...unavailable<InventoryApi>(),
  subscribe(handlers) {
    setTimeout(() => {
      handlers.onLive();
      handlers.onEvent({ type: 'snapshot', clusters: [] });
    }, 0);
    return () => undefined;
  },
};
const workspaceApi = createFakeWorkspace(new URLSearchParams(window.location.search));
const deps: AppDeps = {
  api: inventoryApi,
  inventory: createInventoryStore(),
  onboardingApi: unavailable<OnboardingApi>(),
  onboarding: createOnboardingStore(),
  bootstrapApi: unavailable<BootstrapApi>(),
  install: createInstallStore(),
  workspaceApi,
  workspace: createWorkspaceHub(workspaceApi),
  tenantsApi: unavailable<TenantsApi>(),
  workloadsDeployApi: unavailable<WorkloadsDeployApi>(),
  workloadsYamlApi: unavailable<WorkloadsYamlApi>(),
  workloadsOperateApi: unavailable<WorkloadsOperateApi>(),
  podsLogsApi: unavailable<PodsLogsApi>(),
  usageApi: createFakeUsage(new URLSearchParams(window.location.search)),
};
connectInventory(deps.api, deps.inventory);

const root = document.getElementById('root');
if (!root) throw new Error('dev.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <AppProvider deps={deps}>
      <App />
    </AppProvider>
  </StrictMode>,
);
