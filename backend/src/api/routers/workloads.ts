/**
 * `workloads.*`: deploying from a form (`deploy`), multi-document YAML with a server-side dry
 * run and diff (`yaml`), and operating a workload — scale, autoscale, rollout history and undo,
 * restart, pause, delete (`operate`). Every change is a plain Kubernetes object written with
 * server-side apply or the API's own subresources, so kubectl reads back what the UI did.
 */
import { router } from '../trpc.ts';
import { workloadsDeployRouter } from './workloads-deploy.ts';
import { workloadsOperateRouter } from './workloads-operate.ts';
import { workloadsYamlRouter } from './workloads-yaml.ts';

export const workloadsRouter = router({
  deploy: workloadsDeployRouter,
  yaml: workloadsYamlRouter,
  operate: workloadsOperateRouter,
});
