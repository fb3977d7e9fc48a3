/**
 * A list read page by page (`limit`/`continue`), as an async iterator: memory bounded by one
 * page however many objects the cluster holds. The caller stops whenever it likes (a page
 * budget, a match found); the last page it saw still carries `continue` when more remained.
 *
 * An expired continue token is the API server's 410 Gone (after about five minutes, etcd's
 * compaction): it propagates as the client's error — restarting silently would count objects
 * twice.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient, ListOptions, ListResult } from './client-api.ts';
import type { ResourceRef } from './discovery.ts';

/** The page size the app's cluster-wide scans use unless told otherwise. */
export const DEFAULT_PAGE_SIZE = 500;

export async function* listPages<T extends KubernetesObject>(
  client: Pick<KubeClient, 'list'>,
  type: ResourceRef,
  options: Omit<ListOptions, 'limit' | 'continue'> & { pageSize?: number } = {},
): AsyncGenerator<ListResult<T>, void, undefined> {
  const { pageSize = DEFAULT_PAGE_SIZE, ...list } = options;
  let cont: string | undefined;
  do {
    const page = await client.list<T>(type, {
      ...list,
      limit: pageSize,
      ...(cont ? { continue: cont } : {}),
    });
    yield page;
    cont = page.continue;
  } while (cont);
}
