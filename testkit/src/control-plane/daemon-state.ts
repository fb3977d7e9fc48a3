/** Where `testkit control-plane up` records its background process (read by `down`). */
import path from 'node:path';

export interface DaemonState {
  readonly pid: number;
  readonly url: string;
  readonly dataDir: string;
  readonly kubeconfigPath: string;
  readonly components: Record<string, number>;
}

export const stateFile = (stateDir: string): string => path.join(stateDir, 'state.json');
export const errorFile = (stateDir: string): string => path.join(stateDir, 'error.txt');
