/** The capacity pool's math (pure): see pool.ts. */
export * from './pool.ts';
