/** Watch caches: list in pages, watch with bookmarks, relist on 410, keyed by uid. */
export * from './types.ts';
export { createWatchCache, backoffDelay } from './watch-cache.ts';
export { createIndex } from './cache-index.ts';
export { errorCode, isGone, WatchStalledError, WatchStatusError } from './errors.ts';
