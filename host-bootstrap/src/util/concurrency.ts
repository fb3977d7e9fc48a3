/**
 * Bounded parallelism: run `fn` over `items` with at most `limit` in flight, results in input
 * order. A rejected `fn` rejects the whole call only if the caller lets it; the onboarding
 * engine wraps per-host work so one host failing never stops the others.
 *
 * @see https://github.com/sindresorhus/p-map — same contract, minus the dependency
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be an integer ≥ 1');
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
