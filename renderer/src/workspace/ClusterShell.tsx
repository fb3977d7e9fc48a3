/**
 * One cluster's page frame: its name (with the demo's label), the section nav — each section
 * a link with its own URL — and the section itself. A link without a section is completed to
 * the cluster's default section by replacing the history entry, so Back does not bounce.
 */
import { useEffect } from 'react';
import { DEMO_LABEL } from '@nodeless/common';
import { EventsSection } from '../events/EventsSection.tsx';
import { OverviewSection } from '../overview/Overview.tsx';
import { PodsSection } from '../pods/PodsSection.tsx';
import { DemoAdmissionNote } from '../tenants/DemoAdmissionNote.tsx';
import { TenantsSection } from '../tenants/TenantsSection.tsx';
import { UsageSection } from '../usage/UsageSection.tsx';
import { ClusterPage } from '../ui/ClusterPage.tsx';
import { SECTION_TITLES, sectionHref, type PodRef, type Section } from '../ui/route-model.ts';
import { navigate, useRoute } from '../ui/use-route.ts';
import { WorkloadsSection } from '../workloads/WorkloadsSection.tsx';
import {
  defaultSection,
  documentTitle,
  machinesView,
  sectionsOf,
  type ClusterEntry,
} from './cluster-entries.ts';
import { MachinesList } from './MachinesList.tsx';

export function ClusterShell(props: {
  entry: ClusterEntry;
  section: Section | undefined;
  pod: PodRef | undefined;
}) {
  const { entry, pod } = props;
  const route = useRoute();
  const workload = route.kind === 'cluster' ? route.workload : undefined;
  // Workloads live in the cluster's API: every cluster with a connection has them.
  const sections = withUsage(withEvents(withWorkloads(sectionsOf(entry))));
  const section = props.section && sections.includes(props.section) ? props.section : undefined;

  useEffect(() => {
    if (!section) {
      navigate(
        { kind: 'cluster', clusterId: entry.id, section: defaultSection(entry) },
        { replace: true },
      );
    }
  }, [entry, section]);

  useEffect(() => {
    document.title = documentTitle(entry, section ? SECTION_TITLES[section] : undefined);
  }, [entry, section]);

  return (
    <div className="cluster-shell">
      <header className="shell-header">
        <div className="shell-title">
          <h1 id="cluster-title">{entry.name}</h1>
          {entry.source === 'demo' ? <span className="badge demo">{DEMO_LABEL}</span> : null}
          {entry.source === 'imported' ? <span className="badge">Imported</span> : null}
        </div>
        {entry.workspace?.servers[0] ? (
          <p className="muted small mono">{entry.workspace.servers.join(' · ')}</p>
        ) : null}
        <nav className="section-nav" aria-label="Cluster sections">
          {sections.map((s) => (
            <a
              key={s}
              href={sectionHref(entry.id, s)}
              aria-current={s === section ? 'page' : undefined}
            >
              {SECTION_TITLES[s]}
            </a>
          ))}
        </nav>
      </header>
      <div className="shell-body">
        {section === 'overview' && entry.source === 'demo' ? <DemoAdmissionNote /> : null}
        {section === 'overview' ? (
          <OverviewSection clusterId={entry.id} clusterName={entry.name} cluster={entry} />
        ) : null}
        {section === 'workloads' ? (
          <WorkloadsSection key={entry.id} cluster={entry} workload={workload} />
        ) : null}
        {section === 'pods' ? <PodsSection clusterId={entry.id} pod={pod} /> : null}
        {section === 'events' ? <EventsSection key={entry.id} clusterId={entry.id} /> : null}
        {section === 'usage' ? (
          <UsageSection
            key={entry.id}
            clusterId={entry.id}
            source={entry.source}
            view={route.kind === 'cluster' ? route.usage : undefined}
          />
        ) : null}
        {section === 'machines' ? (
          machinesView(entry) === 'manage' && entry.inventory ? (
            <ClusterPage cluster={entry.inventory} />
          ) : (
            <MachinesList clusterId={entry.id} />
          )
        ) : null}
        {section === 'tenants' ? (
          <TenantsSection
            key={entry.id}
            clusterId={entry.id}
            clusterName={entry.name}
            demo={entry.source === 'demo'}
          />
        ) : null}
      </div>
    </div>
  );
}

/** Workloads right after Overview, where the cluster has a connection (Overview is there). */
function withWorkloads(sections: Section[]): Section[] {
  if (!sections.includes('overview') || sections.includes('workloads')) return sections;
  const at = sections.indexOf('overview') + 1;
  return [...sections.slice(0, at), 'workloads', ...sections.slice(at)];
}

/** Events right after Pods: every cluster with a connection (Pods is there) has them. */
function withEvents(sections: Section[]): Section[] {
  if (!sections.includes('pods') || sections.includes('events')) return sections;
  const at = sections.indexOf('pods') + 1;
  return [...sections.slice(0, at), 'events', ...sections.slice(at)];
}

/** Usage right after Events: the ledger lives in the cluster, so every connected cluster has it. */
function withUsage(sections: Section[]): Section[] {
  if (!sections.includes('events') || sections.includes('usage')) return sections;
  const at = sections.indexOf('events') + 1;
  return [...sections.slice(0, at), 'usage', ...sections.slice(at)];
}
