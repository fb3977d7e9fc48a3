/**
 * What the Usage section and the pod details' bill line need from the backend (`usage.*` and
 * `meter.*`), as a narrow interface so the views can be driven by a fake (the dev entry) and the
 * transport changes in one place. Types are the contract's (backend/src/usage/contract.ts).
 *
 * @see ../../../backend/src/usage/contract.ts
 */
import type { TRPCClient } from '@trpc/client';
import type {
  AppRouter,
  MeterStatusView,
  MeterUninstallResult,
  PriceSettings,
  PriceSettingsInput,
  UsageCsv,
  UsageIdle,
  UsagePodBill,
  UsageRangeInput,
  UsageSeries,
  UsageSeriesInput,
  UsageStatus,
  UsageSyncResult,
  UsageTable,
  UsageTableInput,
} from '@nodeless/backend/api';

export interface ClusterInput {
  clusterId: string;
}

/** One pod's bill, by uid (the ledger's identity). */
export interface UsagePodInput extends ClusterInput {
  uid: string;
}

export interface UsageApi {
  status(input: ClusterInput): Promise<UsageStatus>;
  /** Reads the ledger from the desktop's cursor into its store, then acknowledges. */
  sync(input: ClusterInput): Promise<UsageSyncResult>;
  table(input: UsageTableInput): Promise<UsageTable>;
  series(input: UsageSeriesInput): Promise<UsageSeries>;
  idle(input: UsageRangeInput): Promise<UsageIdle>;
  pod(input: UsagePodInput): Promise<UsagePodBill>;
  csv(input: UsageTableInput): Promise<UsageCsv>;
  getPrices(input: ClusterInput): Promise<PriceSettings>;
  setPrices(input: PriceSettingsInput): Promise<PriceSettings>;
  /** The meter's objects, Lease, image and what to do (`remedy`); `installable` from the UI. */
  meterStatus(input: ClusterInput): Promise<MeterStatusView>;
  installMeter(input: ClusterInput): Promise<void>;
  /**
   * `meter.uninstall`, keeping the ledger: removes what is left of the meter and strips its
   * finalizer from every pod (the release of pods held while no meter Deployment exists).
   */
  uninstallMeter(input: ClusterInput): Promise<MeterUninstallResult>;
}

/** Binds {@link UsageApi} to a tRPC client (share the window's one). */
export function createUsageApi(trpc: TRPCClient<AppRouter>): UsageApi {
  const u = trpc.usage;
  return {
    status: (input) => u.status.query(input),
    sync: (input) => u.sync.mutate(input),
    table: (input) => u.table.query(input),
    series: (input) => u.series.query(input),
    idle: (input) => u.idle.query(input),
    pod: (input) => u.pod.query(input),
    csv: (input) => u.csv.query(input),
    getPrices: (input) => u.prices.get.query(input),
    setPrices: (input) => u.prices.set.mutate(input),
    meterStatus: (input) => trpc.meter.status.query(input),
    installMeter: async (input) => {
      await trpc.meter.install.mutate(input);
    },
    uninstallMeter: (input) => trpc.meter.uninstall.mutate({ ...input, deleteLedger: false }),
  };
}
