/**
 * A cluster connection's state in words, above the section it concerns: connecting, stale
 * ("showing data from 14:05, reconnecting…"), failed with what happened and what to do (a
 * 403 names the permission that is missing), or the backend subscription itself lost. Live
 * shows nothing. It goes away by itself when the connection recovers.
 *
 * The problem's message and remedy are the backend's classification
 * (backend/src/clusters/problems.ts); the banner leads with what it means for the view and
 * gives the message as the detail under it.
 */
import type { ConnectionProblem, ConnectionStatus } from '@nodeless/backend/api';
import { asSentence, formatClock } from './format.ts';

export interface StatusBannerProps {
  status: ConnectionStatus | undefined;
  /** The subscription to the backend ended (not the cluster's fault). */
  streamError?: string | undefined;
}

export function StatusBanner({ status, streamError }: StatusBannerProps) {
  if (streamError) {
    return (
      <div className="cluster-banner failed" role="alert">
        <p className="banner-title">Live updates stopped.</p>
        <p>{asSentence(streamError)}</p>
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
          <p className="banner-title">
            Showing data from {formatClock(status.since)} — reconnecting…
          </p>
          <p>
            {status.problem
              ? asSentence(status.problem.message)
              : `The API server${server} stopped answering.`}{' '}
            The view updates by itself when it answers again.
          </p>
          <Remedy problem={status.problem} />
        </div>
      );
    case 'failed': {
      const p = status.problem;
      return (
        <div className="cluster-banner failed" role="alert">
          <p className="banner-title">
            {p?.code === 'forbidden' ? 'Missing permission' : 'Cannot connect to the cluster'}
          </p>
          <p>{p ? asSentence(p.message) : `The API server${server} cannot be used.`}</p>
          <Remedy problem={p} />
        </div>
      );
    }
  }
}

function Remedy({ problem }: { problem: ConnectionProblem | undefined }) {
  return problem?.remedy ? <p className="remedy">{asSentence(problem.remedy)}</p> : null;
}

/** True when the data on screen is the last known, not live. */
export function isStale(status: ConnectionStatus | undefined): boolean {
  return status?.state === 'stale' || status?.state === 'failed';
}
