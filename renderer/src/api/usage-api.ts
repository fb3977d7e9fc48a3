/**
 * What the Usage section and the pod details' bill line need from the backend (`usage.*` and
 * `meter.*`), as a narrow interface so the views can be driven by a fake (the dev entry) and the
 * transport changes in one place. Types are the contract's (backend/src/usage/contract.ts).
 *
 * @see ../../../backend/src/usage/contract.ts
 */
import type {
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

/** One pod's bill: by uid (the ledger's identity), named for the error messages. */
export interface UsagePodInput extends ClusterInput {
  uid: string;
  namespace: string;
  name: string;
}

/** Whether the meter can be installed from here, and what to do when it cannot. */
export interface MeterInstallView {
  installed: boolean;
  /** In words: why it cannot be installed from the UI and what to do instead. */
  remedy?: string;
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
  meterStatus(input: ClusterInput): Promise<MeterInstallView>;
  installMeter(input: ClusterInput): Promise<void>;
}

/**
 * Until the backend serves `usage.*`: every call says so in words, so the section shows why it
 * is empty instead of failing obscurely. Replaced by the tRPC binding once the router is in.
 */
export function usageNotServed(): UsageApi {
  const no = (): Promise<never> =>
    Promise.reject(new Error('This backend does not serve usage yet: update Nodeless.'));
  return {
    status: no,
    sync: no,
    table: no,
    series: no,
    idle: no,
    pod: no,
    csv: no,
    getPrices: no,
    setPrices: no,
    meterStatus: no,
    installMeter: no,
  };
}
