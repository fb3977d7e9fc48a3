/**
 * "Add a machine" on a cluster Nodeless installed: the button (Overview's pool-full warning, a
 * waiting workload) asks for the add-hosts flow and goes to the Machines section, whose page
 * serves the request once and opens its Add host form there, remembering where the user came
 * from (the waiting workload) to lead back once the machine has joined. Kept out of the URL on
 * purpose: a reload or Back must not open the form again.
 */

export interface AddHostRequest {
  clusterId: string;
  /** The location hash the user asked from (`#/clusters/<id>/workloads/…`), to go back to. */
  from: string;
}

let pending: AddHostRequest | null = null;

/** Asks the cluster's Machines page to open its Add host form. */
export function requestAddHost(request: AddHostRequest): void {
  pending = request;
}

/** The pending request for this cluster, if any (pure: a render may call it twice). */
export function peekAddHostRequest(clusterId: string): AddHostRequest | undefined {
  return pending?.clusterId === clusterId ? pending : undefined;
}

/** Marks the request served, so a later visit does not open the form again. */
export function clearAddHostRequest(request: AddHostRequest): void {
  if (pending === request) pending = null;
}
