/** Types of demo.mjs, for the TypeScript that starts the app as the start script does (e2e). */
export interface DemoCluster {
  /** The admin kubeconfig file the demo wrote (mode 0600; removed by stop()). */
  kubeconfig: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export function startDemoCluster(options: {
  repo: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<DemoCluster>;
