/**
 * Metering and billing math (issue 15, DESIGN.md §1 and §5): pure functions the in-cluster meter
 * (`meter/`) and the desktop share — a pod's life from its API timestamps, hourly ledger
 * records, prices (entered or derived from machine cost), bills in integer micro-units, usage and
 * efficiency, idle capacity, and the ledger's chunk format with its cursor and compaction.
 *
 * @see ../../../../shared/DESIGN.md §5 "Metering"
 */
export * from './pod-life.ts';
export * from './prices.ts';
export * from './derive-prices.ts';
export * from './usage.ts';
export * from './record.ts';
export * from './ledger.ts';
export * from './ledger-configmap.ts';
export * from './compact.ts';
export * from './idle.ts';
export * from './capacity.ts';
export * from './format.ts';
export * from './meter-names.ts';
export * from './meter-rbac.ts';
export * from './meter-admission.ts';
export * from './meter-install.ts';
export * from './meter-status.ts';
export * from './meter-uninstall.ts';
