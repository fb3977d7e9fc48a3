/**
 * Entry point: wires the real API, the store and the live stream into the React tree.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBootstrapApi } from './api/bootstrap-trpc.ts';
import { createOnboardingApi } from './api/onboarding-trpc.ts';
import { createTenantsApi } from './api/tenants-api.ts';
import { createWorkloadsDeployApi } from './api/workloads-deploy-api.ts';
import { createWorkloadsOperateApi } from './api/workloads-operate-api.ts';
import { createPodsLogsApi } from './api/pods-logs-api.ts';
import { createWorkloadsYamlApi } from './api/workloads-yaml-api.ts';
import { createInventoryApi, createTrpc } from './api/trpc-client.ts';
import { createWorkspaceApi } from './api/workspace-trpc.ts';
import { createUsageApi } from './api/usage-api.ts';
import { createInstallStore } from './install/install-store.ts';
import { createOnboardingStore } from './onboarding/onboarding-store.ts';
import { connectInventory } from './store/connect.ts';
import { createInventoryStore } from './store/inventory-store.ts';
import { App } from './ui/App.tsx';
import { AppProvider, type AppDeps } from './ui/app-context.tsx';
import { createWorkspaceHub } from './workspace/workspace-hub.ts';
import './styles.css';
import './onboarding/onboarding.css';
import './onboarding/capacity.css';
import './install/install.css';
import './workspace/workspace.css';
import './tenants/tenants.css';

// One client for every API of the window: HTTP calls, and one WebSocket for all live streams.
const trpc = createTrpc();
const workspaceApi = createWorkspaceApi(trpc);
const deps: AppDeps = {
  api: createInventoryApi(trpc),
  inventory: createInventoryStore(),
  onboardingApi: createOnboardingApi(trpc),
  onboarding: createOnboardingStore(),
  bootstrapApi: createBootstrapApi(trpc),
  install: createInstallStore(),
  workspaceApi,
  workspace: createWorkspaceHub(workspaceApi),
  tenantsApi: createTenantsApi(trpc),
  workloadsDeployApi: createWorkloadsDeployApi(trpc),
  workloadsYamlApi: createWorkloadsYamlApi(trpc),
  workloadsOperateApi: createWorkloadsOperateApi(trpc),
  podsLogsApi: createPodsLogsApi(trpc),
  usageApi: createUsageApi(trpc),
};
connectInventory(deps.api, deps.inventory);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <AppProvider deps={deps}>
      <App />
    </AppProvider>
  </StrictMode>,
);
