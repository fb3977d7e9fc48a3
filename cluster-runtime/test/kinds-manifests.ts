/**
 * Objects in many states for the kubectl-parity test (kinds.int.test.ts). KWOK's documented
 * per-pod delay annotations hold a pod in its init stage; a scheduling gate and an impossible
 * node selector keep pods unscheduled; a long grace period keeps a deleted pod Terminating.
 */
const pod = (name: string, spec: string, annotations = '{}') => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: parity, annotations: ${annotations}}
spec:
${spec}`;

export const PARITY_MANIFESTS = [
  `apiVersion: v1
kind: Namespace
metadata: {name: parity}`,
  `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: kata-clh}
handler: kata-clh
overhead: {podFixed: {cpu: 250m, memory: 130Mi}}`,
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: parity}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, nodeless.dev/size: 0.25x0.5}}
    spec: {containers: [{name: web, image: "nginx:1.27", resources: {requests: {cpu: 100m}}}]}`,
  `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: parity}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "postgres:17"}]}`,
  `apiVersion: v1
kind: Service
metadata: {name: web, namespace: parity}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}, {name: dns, port: 53, protocol: UDP}]}`,
  `apiVersion: v1
kind: Service
metadata: {name: web-np, namespace: parity}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 80}]}`,
  `apiVersion: v1
kind: Service
metadata: {name: web-lb, namespace: parity}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 443}]}`,
  `apiVersion: v1
kind: Service
metadata: {name: db, namespace: parity}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}`,
  `apiVersion: v1
kind: Service
metadata: {name: ext, namespace: parity}
spec: {type: ExternalName, externalName: db.example.org}`,
  `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: parity}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
  metrics:
  - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}
  - {type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 200Mi}}}`,
  `apiVersion: batch/v1
kind: Job
metadata: {name: done, namespace: parity}
spec:
  template:
    spec: {restartPolicy: Never, containers: [{name: j, image: "busybox:1.36"}]}`,
  `apiVersion: batch/v1
kind: Job
metadata: {name: queue, namespace: parity}
spec:
  parallelism: 3
  suspend: true
  template:
    spec: {restartPolicy: Never, containers: [{name: j, image: "busybox:1.36"}]}`,
  `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: parity}
spec:
  schedule: "0 3 * * *"
  suspend: true
  jobTemplate:
    spec:
      template:
        spec: {restartPolicy: OnFailure, containers: [{name: c, image: "busybox:1.36"}]}`,
  pod(
    'initialising',
    `  initContainers: [{name: setup, image: "busybox:1.36"}]
  containers: [{name: app, image: "nginx:1.27"}]`,
    '{pod-init-container-completed.stage.kwok.x-k8s.io/delay: 10m}',
  ),
  pod(
    'with-sidecar',
    `  initContainers: [{name: proxy, image: "envoy:1.33", restartPolicy: Always}]
  containers: [{name: app, image: "nginx:1.27"}]`,
  ),
  pod(
    'gated',
    `  schedulingGates: [{name: nodeless.dev/wait}]
  containers: [{name: app, image: "nginx:1.27"}]`,
  ),
  pod(
    'unschedulable',
    `  nodeSelector: {nodeless.dev/nowhere: "true"}
  containers: [{name: app, image: "nginx:1.27"}]`,
  ),
  pod(
    'leaving',
    `  terminationGracePeriodSeconds: 600
  containers: [{name: app, image: "nginx:1.27"}]`,
  ),
  pod(
    'finished',
    `  restartPolicy: Never
  containers: [{name: app, image: "busybox:1.36"}]`,
    '{pod-exit.stage.kwok.x-k8s.io/delay: 1s}',
  ),
].join('\n---\n');
