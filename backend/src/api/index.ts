/**
 * The API contract: the only module of backend the renderer may import, and only its types
 * (`import type`). Lint enforces both (eslint.config.js).
 */
export type { AppRouter } from './router.ts';
export type * from '../inventory/types.ts';
export type * from '../inventory/schema.ts';
export type * from '../onboarding/types.ts';
export type { CheckInput, TrustHostKeyInput } from '../onboarding/schema.ts';
export type * from '../bootstrap/types.ts';
export type {
  InstallOptionsInput,
  StartInput,
  LogsInput,
  ExportKubeconfigInput,
} from '../bootstrap/schema.ts';
export type * from '../clusters/contract.ts';
export type {
  ImportKubeconfigInput,
  PreviewKubeconfigInput,
  PodInput,
} from '../clusters/schema.ts';
export type * from '../tenants/types.ts';
export type {
  TenantsAddInput,
  TenantsKubeconfigInput,
  TenantsListInput,
  TenantsRemoveInput,
  TenantsRevokeInput,
} from '../tenants/schema.ts';
export type * from '../workloads/yaml/types.ts';
export type { YamlApplyInput, YamlDryRunInput, YamlGetInput } from '../workloads/yaml/schema.ts';
export type * from '../workloads/operate/types.ts';
export type {
  OperateDeleteInput,
  OperateDeleteNamespaceInput,
  OperateDiffInput,
  OperateHpaApplyInput,
  OperateHpaDeleteInput,
  OperatePauseInput,
  OperateScaleInput,
  OperateUndoInput,
  OperateWorkloadInput,
} from '../workloads/operate/schema.ts';
export type * from '../workloads/deploy/types.ts';
export type {
  DeploySubmitInput,
  DeployNamespacesInput,
  DeployPlanInput,
} from '../workloads/deploy/schema.ts';
// `LogsInput` is taken by bootstrap's install logs: the pod logs input is `PodLogsInput` here.
export type {
  LogsInput as PodLogsInput,
  LogLine,
  LogsMessage,
  LogsWorkloadKind,
} from '../pods/logs-types.ts';
export type * from '../exec/terminal-types.ts';
export type * from '../usage/contract.ts';
export type * from '../meter/types.ts';
export type { MeterInstallInput, MeterStatusInput, MeterUninstallInput } from '../meter/schema.ts';
export type { UsagePodInput } from '../usage/schema.ts';
