/**
 * The contract of `workloads.yaml.*`: a multi-document manifest dry-run on the server and
 * applied with server-side apply, and an existing object opened for editing. Lines are
 * 1-based lines of the text the user sent; documents are 0-based indexes in it.
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run
 */

/** One object as the API names it (namespace absent for cluster-scoped kinds). */
export interface YamlObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** What the server would do with (or did to) one object. */
export type YamlAction = 'created' | 'changed' | 'unchanged';

export interface YamlObjectOutcome {
  document: number;
  /** The line where the document's object starts. */
  line: number;
  ref: YamlObjectRef;
  action: YamlAction;
  /**
   * Unified diff of the live object against the server's dry-run result (apply: against what
   * was stored), without server bookkeeping (managedFields, resourceVersion, uid, status…).
   * Empty when unchanged.
   */
  diff: string;
  /** Why the server could not check this object yet (its namespace or CRD is in the manifest). */
  note?: string;
}

/** A refusal or mistake, placed at the line of the field it names (else the document's start). */
export interface YamlProblem {
  document: number;
  line: number;
  /** The field path as the server named it (`spec.replicas`), when it named one. */
  field?: string;
  message: string;
}

/** A server-side apply conflict: another field manager owns a field this manifest changes. */
export interface YamlFieldConflict {
  document: number;
  line: number;
  field: string;
  /** The field manager that owns it (`kubectl-client-side-apply`, `helm`, …). */
  manager: string;
  ref: YamlObjectRef;
}

/** The object being edited changed on the server since it was opened. */
export interface YamlEditConflict {
  ref: YamlObjectRef;
  /** The live object's resourceVersion (send it as the new base to overwrite). */
  resourceVersion: string;
  /** The live object as the editor shows it (reload). */
  text: string;
  /** What changed on the server: the opened object against the live one. */
  diff: string;
}

export interface YamlAnswer {
  objects: YamlObjectOutcome[];
  problems: YamlProblem[];
  conflicts: YamlFieldConflict[];
  editConflict?: YamlEditConflict;
}

export interface YamlApplyAnswer extends YamlAnswer {
  /** True when every object was applied; false when nothing was (or, rarely, a later one failed). */
  applied: boolean;
}

/** An existing object opened for editing. */
export interface YamlOpened {
  ref: YamlObjectRef;
  /** The object as YAML without managedFields, status and server bookkeeping. */
  text: string;
  /** Sent back on apply as a precondition: a change on the server meanwhile is a conflict. */
  resourceVersion: string;
}
