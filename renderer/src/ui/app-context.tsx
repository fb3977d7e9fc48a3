/**
 * Dependency injection for the views: the API and the inventory store come from here, so
 * `main.tsx` decides what is real and a test can hand in fakes.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { BootstrapApi } from '../api/bootstrap-api.ts';
import type { InventoryApi } from '../api/inventory-api.ts';
import type { InstallStore, InstallStoreState } from '../install/install-store.ts';
import type { OnboardingApi } from '../api/onboarding-api.ts';
import type { OnboardingStore, OnboardingStoreState } from '../onboarding/onboarding-store.ts';
import type { InventoryStore, InventoryStoreState } from '../store/inventory-store.ts';
import type { TenantsApi } from '../api/tenants-api.ts';
import type { WorkloadsDeployApi } from '../api/workloads-deploy-api.ts';
import type { WorkloadsOperateApi } from '../api/workloads-operate-api.ts';
import type { PodsLogsApi } from '../api/pods-logs-api.ts';
import type { WorkloadsYamlApi } from '../api/workloads-yaml-api.ts';
import type { UsageApi } from '../api/usage-api.ts';
import type { WorkspaceApi } from '../api/workspace-api.ts';
import type { WorkspaceHub } from '../workspace/workspace-hub.ts';

export interface AppDeps {
  api: InventoryApi;
  inventory: InventoryStore;
  onboardingApi: OnboardingApi;
  onboarding: OnboardingStore;
  bootstrapApi: BootstrapApi;
  install: InstallStore;
  workspaceApi: WorkspaceApi;
  workspace: WorkspaceHub;
  tenantsApi: TenantsApi;
  /** The Workloads section's APIs (deploy form, YAML editor, operations), on the window's client. */
  workloadsDeployApi: WorkloadsDeployApi;
  workloadsYamlApi: WorkloadsYamlApi;
  workloadsOperateApi: WorkloadsOperateApi;
  /** `pods.logs` streams over the window's one connection. */
  podsLogsApi: PodsLogsApi;
  /** The Usage section and the pod details' bill line (`usage.*`, `meter.*`). */
  usageApi: UsageApi;
}

const DepsContext = createContext<AppDeps | null>(null);

export function AppProvider({ deps, children }: { deps: AppDeps; children: ReactNode }) {
  return <DepsContext.Provider value={deps}>{children}</DepsContext.Provider>;
}

function useDeps(): AppDeps {
  const deps = useContext(DepsContext);
  if (!deps) throw new Error('AppProvider is missing above this component');
  return deps;
}

export function useApi(): InventoryApi {
  return useDeps().api;
}

/** Subscribes to a slice of the inventory; re-renders only when that slice changes. */
export function useInventory<T>(selector: (s: InventoryStoreState) => T): T {
  return useStore(useDeps().inventory.store, selector);
}

export function useOnboardingApi(): OnboardingApi {
  return useDeps().onboardingApi;
}

/** The onboarding store itself (to feed it from a cluster's event stream). */
export function useOnboardingStore(): OnboardingStore {
  return useDeps().onboarding;
}

/** Subscribes to a slice of the onboarding state; re-renders only when that slice changes. */
export function useOnboarding<T>(selector: (s: OnboardingStoreState) => T): T {
  return useStore(useDeps().onboarding.store, selector);
}

export function useBootstrapApi(): BootstrapApi {
  return useDeps().bootstrapApi;
}

/** The install store itself (to feed it from a cluster's bootstrap stream). */
export function useInstallStore(): InstallStore {
  return useDeps().install;
}

/** Subscribes to a slice of the bootstrap state; re-renders only when that slice changes. */
export function useInstall<T>(selector: (s: InstallStoreState) => T): T {
  return useStore(useDeps().install.store, selector);
}

export function useWorkspaceApi(): WorkspaceApi {
  return useDeps().workspaceApi;
}

/** The window's workspace: cluster list and leased live subscriptions. */
export function useWorkspaceHub(): WorkspaceHub {
  return useDeps().workspace;
}

export function useTenantsApi(): TenantsApi {
  return useDeps().tenantsApi;
}

export function useWorkloadsDeployApi(): WorkloadsDeployApi {
  return useDeps().workloadsDeployApi;
}

export function useWorkloadsYamlApi(): WorkloadsYamlApi {
  return useDeps().workloadsYamlApi;
}

export function useWorkloadsOperateApi(): WorkloadsOperateApi {
  return useDeps().workloadsOperateApi;
}

export function usePodsLogsApi(): PodsLogsApi {
  return useDeps().podsLogsApi;
}

export function useUsageApi(): UsageApi {
  return useDeps().usageApi;
}
