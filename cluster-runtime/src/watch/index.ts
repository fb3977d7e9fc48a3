/** Watch caches: list in pages, watch with bookmarks, relist on 410, keyed by uid. */
export * from './types.ts';
