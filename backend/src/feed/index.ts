/** The generic keyed feed and the shared topic bus (one mechanism for every backend stream). */
export * from './types.ts';
export { createKeyedFeed } from './keyed-feed.ts';
