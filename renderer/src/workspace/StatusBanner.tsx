/**
 * A cluster connection's state in words, above the section it concerns: connecting, stale
 * ("showing data from 14:05, reconnecting…"), failed with what happened and what to do (a
 * 403 names the permission that is missing), or the backend subscription itself lost. Live
 * shows nothing. It goes away by itself when the connection recovers.
 */
import type { ConnectionStatus } from '@nodeless/backend/api';
import { formatClock } from './format.ts';

export interface StatusBannerProps {
  status: ConnectionStatus | undefined;
  /** The subscription to the backend ended (not the cluster's fault). */
  streamError?: string | undefined;
}

export function StatusBanner({ status, streamError }: StatusBannerProps) {
  if (streamError) {
    return (
      <div className="cluster-banner failed" role="alert">
        <strong>Live updates stopped.</strong> {streamError}
      </div>
    );
  }
  if (!status || status.state === 'live') return null;
  const server = status.server ? ` (${status.server})` : '';
  switch (status.state) {
    case 'connecting':
      return (
        <div className="cluster-banner connecting" role="status">
          Connecting to the cluster&apos;s API server{server}…
        </div>
      );
    case 'stale':
      return (
        <div className="cluster-banner stale" role="status">
          <strong>Showing data from {formatClock(status.since)}, reconnecting…</strong>{' '}
          {status.problem ? status.problem.message : `The API server${server} stopped answering.`}{' '}
          The view updates by itself when it is back.
        </div>
      );
    case 'failed': {
      const p = status.problem;
      return (
        <div className="cluster-banner failed" role="alert">
          <strong>{p?.code === 'forbidden' ? 'Missing permission: ' : 'Cannot connect: '}</strong>
          {p?.message ?? `the API server${server} cannot be used.`}
          {p?.remedy ? <p className="remedy">{p.remedy}</p> : null}
        </div>
      );
    }
  }
}

/** True when the data on screen is the last known, not live. */
export function isStale(status: ConnectionStatus | undefined): boolean {
  return status?.state === 'stale' || status?.state === 'failed';
}
