/**
 * A workload's status (replicas, paused, progress, HPA), read from the backend and read again
 * on a timer: often while something moves (an operation the user started, a rollout not done),
 * seldom otherwise. Answers that arrive after a newer request was sent are dropped, so a read
 * that started before an operation never paints over the state after it.
 *
 * An operation the user started is followed ({@link WorkloadStatusState.follow}) until its
 * rollout is done. "Done" counts once the rollout was seen moving, or after a grace period for
 * operations that change nothing (scaling to the same count): a first read can still show the
 * finished state of the rollout before, until the controller has caught up.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { WorkloadStatus } from '@nodeless/backend/api';
import { toProblem, type Problem } from '../../api/problems.ts';
import type { WorkloadsOperateApi } from '../../api/workloads-operate-api.ts';
import type { WorkloadRef } from '../workload-ref.ts';

export interface PollIntervals {
  /** While an operation runs or the rollout is not done. */
  active: number;
  idle: number;
}

export const DEFAULT_POLL: PollIntervals = { active: 1000, idle: 5000 };

/** How long a followed operation may show "done" without having been seen moving. */
export const SETTLE_MS = 3000;

export interface WorkloadStatusState {
  status: WorkloadStatus | null;
  problem: Problem | null;
  /** What the user started and is followed (`Scaling to 3`), or null. */
  following: string | null;
  /** `Scaling to 3: deployment "web" successfully rolled out` once a followed one is done. */
  finished: string | null;
  /** Reads again now. */
  refresh(): void;
  /** Follows an operation just started (reads again now). */
  follow(what: string): void;
}

export function useWorkloadStatus(
  api: WorkloadsOperateApi,
  clusterId: string,
  workload: WorkloadRef,
  poll: PollIntervals = DEFAULT_POLL,
): WorkloadStatusState {
  const { kind, namespace, name } = workload;
  // Answers are kept with the workload they are about, so another workload starts empty.
  const key = `${clusterId}\u0000${kind}\u0000${namespace}\u0000${name}`;
  const [answer, setAnswer] = useState<{
    key: string;
    status: WorkloadStatus | null;
    problem: Problem | null;
  } | null>(null);
  const status = answer?.key === key ? answer.status : null;
  const problem = answer?.key === key ? answer.problem : null;
  const [tick, setTick] = useState(0);
  const sent = useRef(0);
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  const [following, setFollowing] = useState<string | null>(null);
  const [finished, setFinished] = useState<string | null>(null);
  /** The followed operation: since when, and whether its rollout was seen moving. */
  const followed = useRef<{ what: string; since: number; moved: boolean } | null>(null);
  const follow = useCallback(
    (what: string) => {
      followed.current = { what, since: Date.now(), moved: false };
      setFollowing(what);
      setFinished(null);
      refresh();
    },
    [refresh],
  );

  useEffect(() => {
    let live = true;
    const request = ++sent.current;
    api.status({ clusterId, kind, namespace, name }).then(
      (s) => {
        if (!live || request !== sent.current) return;
        setAnswer({ key, status: s, problem: null });
        const f = followed.current;
        const p = s.progress;
        if (!f || !p) return;
        if (!p.done) f.moved = true;
        else if (f.moved || Date.now() - f.since >= SETTLE_MS) {
          followed.current = null;
          setFollowing(null);
          setFinished(`${f.what}: ${p.failed ?? p.description}`);
        }
      },
      (error: unknown) => {
        if (live && request === sent.current)
          // The last status stays on screen beside the problem (a blip of the connection).
          setAnswer((a) => ({
            key,
            status: a?.key === key ? a.status : null,
            problem: toProblem(error),
          }));
      },
    );
    return () => {
      live = false;
    };
  }, [api, key, clusterId, kind, namespace, name, tick]);

  const moving = following !== null || (status?.progress !== undefined && !status.progress.done);
  useEffect(() => {
    const timer = setTimeout(refresh, moving ? poll.active : poll.idle);
    return () => clearTimeout(timer);
  }, [refresh, moving, poll.active, poll.idle, status, problem]);

  return { status, problem, following, finished, refresh, follow };
}
