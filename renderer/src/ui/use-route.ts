/**
 * The window's place lives in the URL hash (see route-model.ts), so a reload or a second
 * window opened on the same link shows the same cluster, section and pod, and Back/Forward work.
 */
import { useSyncExternalStore } from 'react';
import { parseRoute, routeHash, type Route } from './route-model.ts';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function readHash(): string {
  return window.location.hash;
}

// One parse per distinct hash, so every reader gets the same object and selectors stay stable.
let lastHash: string | undefined;
let lastRoute: Route = { kind: 'home' };
function routeOf(hash: string): Route {
  if (hash !== lastHash) {
    lastHash = hash;
    lastRoute = parseRoute(hash);
  }
  return lastRoute;
}

export function useRoute(): Route {
  return routeOf(useSyncExternalStore(subscribe, readHash));
}

export function useSelectedClusterId(): string | null {
  const route = useRoute();
  return route.kind === 'cluster' ? route.clusterId : null;
}

/**
 * Goes to `route`. `replace` swaps the current history entry (a default section filled in, a
 * pod that vanished) instead of adding one, so Back returns to where the user really was.
 */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const hash = routeHash(route);
  if (hash === window.location.hash) return;
  if (options.replace) {
    const url = `${window.location.pathname}${window.location.search}${hash || '#'}`;
    window.history.replaceState(window.history.state, '', url);
    // replaceState fires no hashchange; tell the subscribers ourselves.
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = hash;
  }
}

export function selectCluster(id: string | null): void {
  navigate(id ? { kind: 'cluster', clusterId: id } : { kind: 'home' });
}
