/** `health`: liveness plus which secret store protects the secrets. */
import { procedure } from '../trpc.ts';

export const healthRoute = procedure.query(({ ctx }) => ({
  version: ctx.version,
  secretStore: ctx.secretStore,
}));
