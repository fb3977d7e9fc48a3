/**
 * Entry point of the meter (the OCI image's command and the substrates' process): flags, the
 * in-cluster config, signals. Wiring only; the meter is ./meter.ts.
 *
 * Kubernetes access is always the in-cluster config — KUBERNETES_SERVICE_HOST/PORT and the
 * ServiceAccount token, ca.crt and namespace under /var/run/secrets/kubernetes.io/serviceaccount
 * (client-node's loadFromCluster reads the token file again as the kubelet rotates it).
 *
 * @see https://kubernetes.io/docs/tasks/run-application/access-api-from-pod/
 */
import fs from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient } from '@nodeless/cluster-runtime';
import { jsonLog } from './client.ts';
import { parseMeterFlags } from './flags.ts';
import { runMeter } from './meter.ts';

/**
 * The in-cluster config with the CA read once, as client-go's rest.InClusterConfig does: client-node
 * re-reads `caFile` on every request (open/fstat/read/close per finalizer patch under churn). The
 * token is still its tokenFile, re-read as the kubelet rotates it.
 * @see https://github.com/kubernetes/client-go/blob/master/rest/config.go (InClusterConfig)
 */
function inClusterConfig(): KubeConfig {
  const found = new KubeConfig();
  found.loadFromCluster();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: found.clusters.map(({ caFile, ...cluster }) =>
      caFile ? { ...cluster, caData: fs.readFileSync(caFile).toString('base64') } : cluster,
    ),
    users: found.users,
    contexts: found.contexts,
    currentContext: found.currentContext,
  });
  return kc;
}

async function main(): Promise<void> {
  const options = parseMeterFlags(process.argv.slice(2));
  const log = jsonLog((line) => process.stdout.write(line));
  const meter = await runMeter(options, { client: createKubeClient(inClusterConfig()), log });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('signal', { signal });
    meter.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
  process.stderr.write(`meter: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
