/**
 * One list of every cluster the window knows: the inventory's (clusters Nodeless builds on the
 * user's machines, with their hosts) and the workspace's (clusters it can connect to —
 * installed, imported from a kubeconfig, or the demo). Both share ids, so a cluster Nodeless
 * installed is one entry with both halves. A connection gives Overview and Pods. Machines
 * depend on who manages them: a cluster created in Nodeless (`installed` in the inventory) has
 * its hosts, checks and install there; an imported cluster or the demo shows its machines
 * read-only from the cluster — the backend refuses (409) host, check and install operations on
 * them, so the window never offers them.
 */
import { DEMO_LABEL } from '@nodeless/common';
import type { ClusterSource, ClusterView, WorkspaceCluster } from '@nodeless/backend/api';
import type { Section } from '../ui/route-model.ts';
import { plural } from './format.ts';

export interface ClusterEntry {
  id: string;
  name: string;
  /** Where it came from; `undefined` for a Nodeless cluster not installed yet. */
  source: ClusterSource | undefined;
  /** Created in Nodeless: its machines are managed here (hosts, checks, install). */
  managed: boolean;
  inventory: ClusterView | undefined;
  workspace: WorkspaceCluster | undefined;
}

/** Merges both lists by id, sorted by name. */
export function clusterEntries(
  inventory: ReadonlyMap<string, ClusterView>,
  workspace: readonly WorkspaceCluster[],
): ClusterEntry[] {
  const byId = new Map<string, ClusterEntry>();
  for (const c of inventory.values()) {
    // Imported and demo clusters are listed by the workspace's (pushed) list only, so one
    // removed elsewhere goes away even while the inventory still holds it.
    if (c.source !== 'installed') continue;
    byId.set(c.id, {
      id: c.id,
      name: c.name,
      source: undefined,
      managed: true,
      inventory: c,
      workspace: undefined,
    });
  }
  for (const w of workspace) {
    const managed = w.source === 'installed';
    // Only a managed cluster has an inventory half (its hosts): the others have none to show.
    const inv = managed ? inventory.get(w.id) : undefined;
    // The inventory's name is the one the user edits; the workspace's for the others.
    byId.set(w.id, {
      id: w.id,
      name: inv?.name ?? w.name,
      source: w.source,
      managed,
      inventory: inv,
      workspace: w,
    });
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}

/** The sections a cluster has, in nav order. */
export function sectionsOf(entry: ClusterEntry): Section[] {
  const out: Section[] = [];
  if (entry.workspace) out.push('overview', 'pods');
  out.push('machines');
  // Tenants live in the cluster's API: every cluster Nodeless can connect to has them.
  if (entry.workspace) out.push('tenants');
  return out;
}

/**
 * What its Machines section is: `manage` (hosts, checks, install — the inventory's page) only
 * for a cluster created in Nodeless whose inventory record is here; `read-only` (the machines
 * table from the cluster's nodes feed, no add/install/reset) for an imported cluster or the
 * demo, or an installed cluster before the inventory arrived.
 */
export function machinesView(entry: ClusterEntry): 'manage' | 'read-only' {
  return entry.managed && entry.inventory ? 'manage' : 'read-only';
}

/** Where a cluster opens when its link names no section. */
export function defaultSection(entry: ClusterEntry): Section {
  return entry.workspace ? 'overview' : 'machines';
}

/** The words under a cluster's name in the list. */
export function entrySubtitle(entry: ClusterEntry): string {
  switch (entry.source) {
    case 'demo':
      return DEMO_LABEL;
    case 'imported':
      return entry.workspace?.context ? `Imported · ${entry.workspace.context}` : 'Imported';
    case 'installed':
      return `Installed · ${plural(entry.inventory?.hosts.length ?? 0, 'host')}`;
    case undefined:
      return entry.inventory ? plural(entry.inventory.hosts.length, 'host') : '';
  }
}

/** The document title for a cluster's section; the demo carries its label there too. */
export function documentTitle(entry: ClusterEntry | undefined, sectionTitle?: string): string {
  if (!entry) return 'Nodeless';
  const name = entry.source === 'demo' ? `${entry.name} (${DEMO_LABEL})` : entry.name;
  return sectionTitle ? `${sectionTitle} · ${name} — Nodeless` : `${name} — Nodeless`;
}
