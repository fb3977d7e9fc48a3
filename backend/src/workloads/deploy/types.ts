/**
 * The contract of `workloads.deploy.*`: the namespaces to pick from, what a deploy would delete,
 * and the answer of a deploy.
 * Field errors (the form's own, and the server's refusals placed on the field they name) are a
 * 400 whose `fieldErrors` keys are `form.<field>` (`form.image`, `form.env.0.name`), `form` for
 * a refusal the form has no field for. A server-side-apply conflict is not an error: the answer
 * names each conflicting field and its manager, and the user may apply again with `force`.
 *
 * @see ../../../../common/src/deploy/form.ts — the form and its field keys
 */

/** Tenant namespaces of the cluster (active, not `kube-*` or `nodeless-system`), sorted. */
export interface DeployNamespaces {
  namespaces: string[];
}

/** One object of the deploy, as the API names it. */
export interface DeployedObject {
  kind: 'Namespace' | 'Deployment' | 'Service';
  name: string;
  namespace?: string;
}

/** Before deploying: what the deploy of this form would delete (the preview lists it). */
export interface DeployPlan {
  deletions: DeployedObject[];
}

/** Another field manager owns a field this deploy sets to another value. */
export interface DeployConflict {
  kind: DeployedObject['kind'];
  name: string;
  /** The field as the server named it (`.spec.replicas`). */
  path: string;
  /** The form field it comes from (`replicas`), when the form has one. */
  field?: string;
  /** Who owns it now (`kubectl`, `kubectl-client-side-apply`, `helm`…). */
  manager: string;
  /** What it wrote through, when not the object itself (`scale`: `kubectl scale`). */
  subresource?: string;
}

export type DeployAnswer =
  | {
      /** `applied`: every object was applied; `checked`: a dry run (nothing stored) passed. */
      outcome: 'applied' | 'checked';
      objects: DeployedObject[];
      /** The Deployment, for the Workloads section to open. */
      workload: { kind: 'Deployment'; namespace: string; name: string };
      /** Objects the dry run could not check yet: their namespace is created by this deploy. */
      unchecked: DeployedObject[];
      /**
       * What an earlier deploy of the app made that the form no longer produces (the Service
       * once Expose is No): `applied` — deleted, after everything else was applied; `checked` —
       * would be deleted.
       */
      deletions: DeployedObject[];
    }
  | {
      /** Nothing was applied: fields are owned by other managers (repeat with `force`). */
      outcome: 'conflict';
      conflicts: DeployConflict[];
    };
