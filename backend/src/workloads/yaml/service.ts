/**
 * `workloads.yaml.*`: a manifest dry-run by the server, then applied all or nothing; an object
 * opened for editing with a conflict check when it is applied.
 *
 * Validation against the cluster's OpenAPI schema is the server's own: every object goes
 * through server-side apply with `dryRun=All` and `fieldValidation=Strict`, so the API server
 * checks it against the schema it serves (CRDs included), runs admission (policies, Pod
 * Security, quota) and answers the object it would store — no schema is copied into Nodeless.
 * The diff is that answer against the live object.
 *
 * Apply dry-runs everything first; one refusal and nothing is applied. Then it applies in
 * install order (Namespaces and CRDs first; the custom resources of those CRDs once the kind is
 * served, ./served-kinds.ts). An object opened for editing is applied with its
 * `metadata.resourceVersion` as a precondition, which server-side apply honours: a change on
 * the server meanwhile is a 409, answered as an edit conflict with what changed.
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
 */
import {
  isNotFound,
  KubeApiError,
  UnknownResourceError,
  type KubeClient,
} from '@nodeless/cluster-runtime';
import type { KubernetesObject } from '@kubernetes/client-node';
import { lineOfPath, parseManifest, type ParsedManifest } from './documents.ts';
import { displayPath, parseFieldPath } from './field-path.ts';
import { applyOrder, manifestObjects, sameRef, type ManifestObject } from './manifest-objects.ts';
import { objectDiff, toYaml, withoutNoise } from './object-diff.ts';
import { definedKinds, kindKey, SERVED_TIMEOUT_MS, whenServed } from './served-kinds.ts';
import { fieldPathsInWords, readServerError } from './server-errors.ts';
import type {
  YamlAnswer,
  YamlApplyAnswer,
  YamlEditConflict,
  YamlObjectOutcome,
  YamlObjectRef,
  YamlOpened,
  YamlProblem,
} from './types.ts';

/** The object being edited: where it was opened from. */
export interface YamlEditBase {
  ref: YamlObjectRef;
  resourceVersion: string;
  /** The text as opened (what the conflict diff compares the live object with). */
  original: string;
}

export interface YamlRunOptions {
  /** Take over fields other managers own (after the user saw the conflicts). */
  force?: boolean;
  edit?: YamlEditBase;
  /** Apply over a change made on the server since the edit was opened. */
  overwrite?: boolean;
  signal?: AbortSignal;
}

type Checked = ManifestObject & { live: KubernetesObject | undefined };

/** Dry run of every object: what would change, or what the server refuses and where. */
export async function dryRunManifest(
  client: KubeClient,
  text: string,
  options: YamlRunOptions = {},
): Promise<YamlAnswer> {
  return (await check(client, text, options)).answer;
}

/** All or nothing: dry run first; only when every object passes, applies them in order. */
export async function applyManifest(
  client: KubeClient,
  text: string,
  options: YamlRunOptions = {},
): Promise<YamlApplyAnswer> {
  const { answer, checked, parsed } = await check(client, text, options);
  if (answer.problems.length > 0 || answer.conflicts.length > 0 || answer.editConflict)
    return { ...answer, applied: false };
  const objects: YamlObjectOutcome[] = [];
  const newKinds = definedKinds(checked);
  for (const listed of applyOrder(checked)) {
    const dry = answer.objects.find((o) => sameRef(o.ref, listed.ref));
    // A custom resource of a CRD applied just before: applied once the kind is served.
    const item = newKinds.has(kindKey(listed.ref))
      ? await whenServed(client, listed, options.signal ? { signal: options.signal } : {})
      : listed;
    if (!item) {
      const { problems } = problemAt(
        listed,
        parsed,
        'kind',
        `the cluster did not serve ${listed.ref.kind} in ${listed.ref.apiVersion} within ${SERVED_TIMEOUT_MS / 1000} s of applying its CustomResourceDefinition`,
      );
      return { objects, problems, conflicts: [], applied: false };
    }
    try {
      const stored = await client.apply(prepared(item, options), {
        force: options.force === true,
        fieldValidation: 'Strict',
        ...(options.signal ? { signal: options.signal } : {}),
      });
      objects.push({
        document: item.document.index,
        line: item.document.line,
        ref: item.ref,
        action: dry?.action ?? (listed.live ? 'changed' : 'created'),
        diff: objectDiff(listed.live, stored, { before: 'before', after: 'applied' }),
      });
    } catch (error) {
      // Changed between the dry run and now (or a later object's namespace went away): say
      // which object failed; the ones before it are applied and listed.
      const problems = problemsOf(error, item, parsed);
      if (!problems) throw error;
      return { objects, problems, conflicts: [], applied: false };
    }
  }
  return { objects, problems: [], conflicts: [], applied: true };
}

/** An existing object as editable YAML, and the resourceVersion to apply it against. */
export async function openObject(
  client: KubeClient,
  ref: YamlObjectRef,
  signal?: AbortSignal,
): Promise<YamlOpened | undefined> {
  const live = await client.get(
    { apiVersion: ref.apiVersion, kind: ref.kind },
    ref.name,
    ref.namespace,
    signal,
  );
  if (!live) return undefined;
  return {
    ref,
    text: toYaml(withoutNoise(live)),
    resourceVersion: live.metadata?.resourceVersion ?? '',
  };
}

/** The object as sent: namespace filled in, the edit's resourceVersion as a precondition. */
function prepared(item: ManifestObject, options: YamlRunOptions): ManifestObject['object'] {
  const object = structuredClone(item.object);
  const metadata = { ...(object.metadata ?? {}) };
  if (item.ref.namespace !== undefined) metadata.namespace = item.ref.namespace;
  else delete metadata.namespace;
  delete metadata.resourceVersion;
  if (options.edit && !options.overwrite && sameRef(options.edit.ref, item.ref))
    metadata.resourceVersion = options.edit.resourceVersion;
  object.metadata = metadata;
  return object;
}

async function check(
  client: KubeClient,
  text: string,
  options: YamlRunOptions,
): Promise<{ answer: YamlAnswer; checked: Checked[]; parsed: ParsedManifest }> {
  const parsed = parseManifest(text);
  const answer: YamlAnswer = { objects: [], problems: [], conflicts: [] };
  if (parsed.syntax.length > 0) {
    answer.problems = parsed.syntax.map((s) => ({ ...s }));
    return { answer, checked: [], parsed };
  }
  const { objects, problems } = manifestObjects(parsed.documents);
  for (const p of problems) {
    const document = parsed.documents[p.document];
    if (!document) continue;
    answer.problems.push({
      document: p.document,
      line: lineOfPath(document, p.field === '' ? [] : parseFieldPath(p.field), parsed.lineAt),
      ...(p.field === '' ? {} : { field: p.field }),
      message: p.message,
    });
  }
  const newNamespaces = new Set(
    objects.filter((o) => o.ref.kind === 'Namespace').map((o) => o.ref.name),
  );
  const newKinds = definedKinds(objects);
  const checked: Checked[] = [];
  for (const item of objects) {
    const outcome = await checkOne(client, item, options, parsed, { newNamespaces, newKinds });
    if ('problems' in outcome) answer.problems.push(...outcome.problems);
    else if ('conflicts' in outcome) answer.conflicts.push(...outcome.conflicts);
    else if ('editConflict' in outcome) answer.editConflict = outcome.editConflict;
    else {
      answer.objects.push(outcome.outcome);
      checked.push({ ...outcome.item, live: outcome.live });
    }
  }
  return { answer, checked, parsed };
}

type OneOutcome =
  | { problems: YamlProblem[] }
  | { conflicts: YamlAnswer['conflicts'] }
  | { editConflict: YamlEditConflict }
  | { outcome: YamlObjectOutcome; item: ManifestObject; live: KubernetesObject | undefined };

async function checkOne(
  client: KubeClient,
  item: ManifestObject,
  options: YamlRunOptions,
  parsed: ParsedManifest,
  manifest: { newNamespaces: Set<string>; newKinds: Set<string> },
): Promise<OneOutcome> {
  const { document } = item;
  const type = { apiVersion: item.ref.apiVersion, kind: item.ref.kind };
  const pending = (note: string): OneOutcome => ({
    outcome: {
      document: document.index,
      line: document.line,
      ref: item.ref,
      action: 'created',
      diff: objectDiff(undefined, item.object),
      note,
    },
    item,
    live: undefined,
  });
  let resolved: ManifestObject;
  try {
    const resource = await client.resource(type);
    const ns = resource.namespaced ? (item.ref.namespace ?? 'default') : undefined;
    const { namespace: _dropped, ...named } = item.ref;
    resolved = { ...item, ref: ns === undefined ? named : { ...named, namespace: ns } };
  } catch (error) {
    if (!(error instanceof UnknownResourceError)) throw error;
    if (manifest.newKinds.has(kindKey(item.ref)))
      return pending('Its CustomResourceDefinition is in this manifest: checked when applied.');
    return problemAt(
      item,
      parsed,
      'kind',
      `the cluster does not serve ${item.ref.kind} in ${item.ref.apiVersion}`,
    );
  }
  const ns = resolved.ref.namespace;
  const live = await client.get(type, resolved.ref.name, ns, options.signal);
  // An edit is compared before anything is sent (the server's own field conflicts would
  // otherwise hide it); the resourceVersion precondition then covers the time until apply.
  const edit = options.edit;
  if (
    edit &&
    !options.overwrite &&
    sameRef(edit.ref, resolved.ref) &&
    live?.metadata?.resourceVersion !== edit.resourceVersion
  )
    return { editConflict: editConflictOf(edit, live) };
  try {
    const dry = await client.apply(prepared(resolved, options), {
      dryRun: true,
      fieldValidation: 'Strict',
      force: options.force === true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const diff = objectDiff(live, dry);
    return {
      outcome: {
        document: document.index,
        line: document.line,
        ref: resolved.ref,
        action: live === undefined ? 'created' : diff === '' ? 'unchanged' : 'changed',
        diff,
      },
      item: resolved,
      live,
    };
  } catch (error) {
    if (
      ns !== undefined &&
      manifest.newNamespaces.has(ns) &&
      isNotFound(error) &&
      live === undefined
    )
      return pending(`Its namespace ${ns} is created by this manifest: checked when applied.`);
    const verdict = readServerError(error);
    if (verdict?.kind === 'conflicts') {
      return {
        conflicts: verdict.conflicts.map((c) => ({
          document: document.index,
          line: lineOfPath(document, parseFieldPath(c.field), parsed.lineAt),
          field: displayPath(c.field),
          manager: c.manager,
          ref: resolved.ref,
        })),
      };
    }
    if (verdict?.kind === 'modified' && options.edit && sameRef(options.edit.ref, resolved.ref))
      return { editConflict: editConflictOf(options.edit, live) };
    const problems = problemsOf(error, resolved, parsed);
    if (!problems) throw error;
    return { problems };
  }
}

function editConflictOf(edit: YamlEditBase, live: KubernetesObject | undefined): YamlEditConflict {
  const opened = parseManifest(edit.original).documents.find((d) => d.value !== null)?.value;
  return {
    ref: edit.ref,
    resourceVersion: live?.metadata?.resourceVersion ?? '',
    text: live ? toYaml(withoutNoise(live)) : '',
    diff: objectDiff(opened, live, { before: 'opened', after: 'on the server now' }),
  };
}

function problemAt(
  item: ManifestObject,
  parsed: ParsedManifest,
  field: string,
  message: string,
): { problems: YamlProblem[] } {
  return {
    problems: [
      {
        document: item.document.index,
        line: lineOfPath(item.document, parseFieldPath(field), parsed.lineAt),
        field,
        message,
      },
    ],
  };
}

/** A server refusal of one object as problems at the lines of the fields it names. */
function problemsOf(
  error: unknown,
  item: ManifestObject,
  parsed: ParsedManifest,
): YamlProblem[] | undefined {
  const verdict = readServerError(error);
  if (!verdict) return undefined;
  const { document } = item;
  if (verdict.kind !== 'problems') {
    const message =
      verdict.kind === 'modified'
        ? verdict.message
        : `conflicts with ${verdict.conflicts.map((c) => `${c.manager} on ${displayPath(c.field)}`).join(', ')}`;
    return [{ document: document.index, line: document.line, message }];
  }
  const namespaceMissing =
    error instanceof KubeApiError &&
    error.code === 404 &&
    /^namespaces? "/.test(verdict.problems[0]?.message ?? '');
  return verdict.problems.map((p) => {
    const field =
      p.field ?? (namespaceMissing ? 'metadata.namespace' : fieldPathsInWords(p.message)[0]);
    return {
      document: document.index,
      line:
        field === undefined
          ? document.line
          : lineOfPath(document, parseFieldPath(field), parsed.lineAt),
      ...(field === undefined ? {} : { field: displayPath(field) }),
      message: p.message,
    };
  });
}
