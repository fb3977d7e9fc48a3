/**
 * The machine's real kubectl against the demo cluster (kube-sim started by global-setup, its
 * kubeconfig in NODELESS_E2E_DEMO_KUBECONFIG): what the specs check the UI against.
 */
import { execFileSync } from 'node:child_process';

export function demoKubectl(...args: string[]): string {
  const file = process.env.NODELESS_E2E_DEMO_KUBECONFIG;
  if (!file) throw new Error('NODELESS_E2E_DEMO_KUBECONFIG is not set: run through global-setup');
  return execFileSync('kubectl', ['--kubeconfig', file, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
