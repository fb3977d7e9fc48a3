/**
 * Helpers of the parity suite (`kube-sim-parity.int.test.ts`): reading raw answers and blanking
 * what legitimately differs between two clusters (uids, versions, timestamps, addresses,
 * managedFields) so the rest compares.
 */
import type { RawResponse } from './kube-sim-substrates.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Fields that differ between any two clusters (or two runs of one). */
const VOLATILE = new Set([
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'managedFields',
  'lastTransitionTime',
  'clusterIP',
  'clusterIPs',
]);

/** `value` with every volatile field blanked, so two clusters' answers compare. */
export function blank(value: Json): Json {
  if (Array.isArray(value)) return value.map(blank);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, VOLATILE.has(k) ? '<varies>' : blank(v)]),
  );
}

export const parse = (r: RawResponse): Json => JSON.parse(r.body) as Json;
export const lines = (r: RawResponse): Json[] =>
  r.body
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Json);
export const field = (o: Json, path: string): Json | undefined => {
  let cur: Json | undefined = o;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
};
export const JSON_HEADERS = { 'Content-Type': 'application/json' };
export const PARTIAL = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
export const PARTIAL_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
