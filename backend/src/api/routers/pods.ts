/**
 * `pods.*` (issue "Pod operations"): pod log streams (`pods.logs`, a subscription).
 *
 * @see ../../pods/logs-types.ts
 */
import { router } from '../trpc.ts';

export const podsRouter = router({});
