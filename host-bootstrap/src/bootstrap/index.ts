/**
 * The bootstrap engine (DESIGN.md §4 phases 5–12): plan, run, preview, day-2 uninstall.
 *
 * ```ts
 * const { artifacts } = await loadBundle(dir);
 * const plan = planCluster(spec, hosts, { baseline, smoke, kubeconfig: [kubeconfigStep(access, sink)] },
 *   { bundle: artifacts, access });
 * const preview = await previewPlan(plan);          // dry run
 * const outcome = await runPlan(plan, { runId, journal, concurrency: 4, onEvent, signal });
 * ```
 */
export * from './types.ts';
export { runPlan, previewPlan, type RunOptions, type PreviewOptions } from './runner.ts';
export {
  planCluster,
  resolveSandbox,
  validateSpec,
  type ClusterSteps,
  type PlanOptions,
} from './plan.ts';
export { MemoryJournal } from './memory-journal.ts';
export {
  PINNED_K3S_VERSION,
  MIN_K3S_MINOR,
  k3sVersionProblem,
  parseK3sVersion,
} from './k3s-version.ts';
export { DEFAULT_KATA_VERSION, kataAssetName } from './steps/kata-assets.ts';
export { DEFAULT_GVISOR_RELEASE } from './steps/online.ts';
export { BootstrapError } from './errors.ts';
export { Semaphore } from './semaphore.ts';
export {
  ClusterAccess,
  waitFor,
  defaultWait,
  type ClusterAccessHooks,
  type WaitPolicy,
} from './cluster-access.ts';
export type { HostHandle } from './host.ts';
export { NODELESS_DIR, STAGING_DIR } from './host.ts';
export {
  loadBundle,
  localArtifact,
  parseBundle,
  artifactRole,
  bundleManifestSchema,
  type BundleManifest,
  type BundleArtifact,
  type ArtifactRole,
} from './bundle-manifest.ts';
export { TransferMeter, uploadFile, type UploadPolicy, type UploadFile } from './upload.ts';
export type { KubeApi, KubeApiFactory, NodeView } from './kube-api.ts';
export { kubeconfigStep, type KubeconfigSink } from './steps/kubeconfig.ts';
export {
  uninstallStep,
  leftovers,
  uninstallScript,
  leftoversScript,
  resetPlan,
  removeHostPlan,
  LEFTOVERS,
  CNI_LINKS,
} from './steps/reset.ts';
export { nodeName } from './steps/k3s-node.ts';
export { SANDBOX_LABEL } from './steps/k3s-files.ts';
export {
  handlerOf,
  handlersFor,
  renderTemplate,
  TEMPLATE_PATH,
  RUNSC_CONFIG,
  type Sandbox,
} from './steps/containerd-template.ts';
export { sandboxFiles, type RootFile } from './steps/sandbox-files.ts';
export * as k3sPaths from './steps/paths.ts';
