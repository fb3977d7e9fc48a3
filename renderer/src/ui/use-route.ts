/**
 * The selected cluster lives in the URL hash (`#/clusters/<id>`), so a reload or a second
 * window opened on the same link shows the same cluster, and Back/Forward work.
 */
import { useSyncExternalStore } from 'react';

const PREFIX = '#/clusters/';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function read(): string | null {
  const hash = window.location.hash;
  return hash.startsWith(PREFIX) ? decodeURIComponent(hash.slice(PREFIX.length)) || null : null;
}

export function useSelectedClusterId(): string | null {
  return useSyncExternalStore(subscribe, read);
}

export function selectCluster(id: string | null): void {
  window.location.hash = id ? `${PREFIX}${encodeURIComponent(id)}` : '';
}
