/**
 * KWOK's stand-in for the kubelet's server, part of the `kwok --config` file that
 * ./kwok-stages.ts assembles: pod logs and exec (ClusterLogs, ClusterExec), resource usage
 * from per-pod annotations (ClusterResourceUsage) and the `/metrics/resource` endpoint
 * metrics-server scrapes (Metric). Apart from the lifecycle stages because it answers what a
 * kubelet serves, not how a pod moves through its phases — tests change them for different
 * reasons.
 *
 * @see https://kwok.sigs.k8s.io/docs/user/ — the configuration resources
 * @see https://github.com/kubernetes-sigs/kwok/tree/main/pkg/apis/v1alpha1 — their types
 */

/** The API group of KWOK's configuration resources. */
export const KIND = { apiVersion: 'kwok.x-k8s.io/v1alpha1' } as const;

/** Per-pod simulated usage read by the ClusterResourceUsage below (quantities). */
export const USAGE_CPU_ANNOTATION = 'kwok.x-k8s.io/usage-cpu';
export const USAGE_MEMORY_ANNOTATION = 'kwok.x-k8s.io/usage-memory';

/** Logs, exec and resource usage: the kubelet server's side. */
export function kubeletResources(
  logsFile: string,
  execDir: string,
): Array<Record<string, unknown>> {
  const usage = (annotation: string, fallback: string) =>
    `"${annotation}" in pod.metadata.annotations ? Quantity(pod.metadata.annotations["${annotation}"]) : Quantity("${fallback}")`;
  const metric = (
    name: string,
    dimension: string,
    kind: string,
    value: string,
    labels: Array<[string, string]>,
  ) => ({
    name,
    dimension,
    kind,
    help: name,
    value,
    labels: labels.map(([n, v]) => ({ name: n, value: v })),
  });
  const pod: Array<[string, string]> = [
    ['namespace', 'pod.metadata.namespace'],
    ['pod', 'pod.metadata.name'],
  ];
  const container: Array<[string, string]> = [['container', 'container.name'], ...pod];
  return [
    {
      ...KIND,
      kind: 'ClusterLogs',
      metadata: { name: 'all' },
      spec: { logs: [{ logsFile, follow: true }] },
    },
    {
      ...KIND,
      kind: 'ClusterExec',
      metadata: { name: 'all' },
      spec: { execs: [{ local: { workDir: execDir } }] },
    },
    {
      ...KIND,
      kind: 'ClusterResourceUsage',
      metadata: { name: 'from-annotations' },
      spec: {
        usages: [
          {
            usage: {
              cpu: { expression: usage(USAGE_CPU_ANNOTATION, '1m') },
              memory: { expression: usage(USAGE_MEMORY_ANNOTATION, '1Mi') },
            },
          },
        ],
      },
    },
    {
      ...KIND,
      kind: 'Metric',
      metadata: { name: 'metrics-resource' },
      spec: {
        path: '/metrics/nodes/{nodeName}/metrics/resource',
        metrics: [
          metric('scrape_error', 'node', 'gauge', '0', []),
          metric(
            'container_start_time_seconds',
            'container',
            'gauge',
            'pod.SinceSecond()',
            container,
          ),
          metric(
            'container_cpu_usage_seconds_total',
            'container',
            'counter',
            'pod.CumulativeUsage("cpu", container.name)',
            container,
          ),
          metric(
            'container_memory_working_set_bytes',
            'container',
            'gauge',
            'pod.Usage("memory", container.name)',
            container,
          ),
          metric(
            'pod_cpu_usage_seconds_total',
            'pod',
            'counter',
            'pod.CumulativeUsage("cpu")',
            pod,
          ),
          metric('pod_memory_working_set_bytes', 'pod', 'gauge', 'pod.Usage("memory")', pod),
          metric(
            'node_cpu_usage_seconds_total',
            'node',
            'counter',
            'node.CumulativeUsage("cpu")',
            [],
          ),
          metric('node_memory_working_set_bytes', 'node', 'gauge', 'node.Usage("memory")', []),
        ],
      },
    },
  ];
}
