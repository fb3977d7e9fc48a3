/**
 * What a deploy leaves behind: an object an earlier deploy of the same app made that the form
 * no longer produces (a Service once "Expose" is No) is deleted by this deploy, after the rest is
 * applied, and the preview says so before. Which objects are "made by an earlier deploy" is read
 * from what any kubectl user sees, never from a marker of our own: the object has the app's name,
 * a field manager `nodeless` entry in its `managedFields` (Nodeless's server-side apply), and it
 * selects exactly this app's pods (`app.kubernetes.io/name=<app>`, the selector the form writes).
 * An object someone re-pointed at other pods, or that only another tool manages, is not ours and
 * stays.
 *
 * Namespaces are never candidates: a namespace holds more than this app.
 *
 * @see ./objects.ts — what the form produces
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management
 */
import type { DeployForm } from './form.ts';
import { DEPLOY_NAME_LABEL, deployObjects, type DeployObject } from './objects.ts';

/** Kinds a deploy makes and may leave behind, with where each keeps its pod selector. */
const SELECTORS = {
  Deployment: (spec: Record<string, unknown>) =>
    (spec['selector'] as { matchLabels?: unknown } | undefined)?.matchLabels,
  Service: (spec: Record<string, unknown>) => spec['selector'],
} as const;

export type DeployLeftoverKind = keyof typeof SELECTORS;

/** An object of the app the form does not produce (any more). */
export interface DeployLeftoverRef {
  kind: DeployLeftoverKind;
  name: string;
  namespace: string;
}

/** The live object as far as the check reads it (a client-node object fits). */
export interface LiveObjectLike {
  metadata?: {
    name?: string;
    uid?: string;
    managedFields?: ReadonlyArray<{ manager?: string }>;
  };
  spec?: unknown;
}

/** The objects to look for on the cluster: the app's kinds the form does not produce now. */
export function deployLeftoverCandidates(form: DeployForm): DeployLeftoverRef[] {
  const produced = new Set(
    deployObjects(form).map((o: DeployObject) => `${o.kind}/${o.metadata.name}`),
  );
  return (Object.keys(SELECTORS) as DeployLeftoverKind[])
    .filter((kind) => !produced.has(`${kind}/${form.name}`))
    .map((kind) => ({ kind, name: form.name, namespace: form.namespace }));
}

const sameLabels = (a: unknown, b: Record<string, string>): boolean => {
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return false;
  const entries = Object.entries(a as Record<string, unknown>);
  return entries.length === Object.keys(b).length && entries.every(([k, v]) => b[k] === v);
};

/**
 * Whether `live` (of `kind`) is what an earlier deploy of app `app` made; `manager` is the field
 * manager deploys apply with (cluster-runtime's `FIELD_MANAGER`, `nodeless`).
 */
export function isDeployLeftover(
  kind: DeployLeftoverKind,
  live: LiveObjectLike,
  app: string,
  manager: string,
): boolean {
  if (live.metadata?.name !== app) return false;
  const byNodeless = (live.metadata.managedFields ?? []).some((m) => m.manager === manager);
  if (!byNodeless) return false;
  const spec = live.spec;
  if (spec === null || typeof spec !== 'object') return false;
  return sameLabels(SELECTORS[kind](spec as Record<string, unknown>), { [DEPLOY_NAME_LABEL]: app });
}

/** `Service web will be deleted` — the preview's line for a leftover. */
export const leftoverSentence = (o: { kind: string; name: string }, done = false): string =>
  `${o.kind} ${o.name} ${done ? 'was' : 'will be'} deleted`;
