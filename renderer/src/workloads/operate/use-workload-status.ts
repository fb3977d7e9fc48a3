/**
 * A workload's status (replicas, paused, progress, HPA), read from the backend and read again
 * on a timer: often while something moves (an operation the user started, a rollout not done),
 * seldom otherwise. Answers that arrive after a newer request was sent are dropped, so a read
 * that started before an operation never paints over the state after it.
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

export interface WorkloadStatusState {
  status: WorkloadStatus | null;
  problem: Problem | null;
  /** Reads again now (after an operation). */
  refresh(): void;
}

export function useWorkloadStatus(
  api: WorkloadsOperateApi,
  clusterId: string,
  workload: WorkloadRef,
  busy: boolean,
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

  useEffect(() => {
    let live = true;
    const request = ++sent.current;
    api.status({ clusterId, kind, namespace, name }).then(
      (s) => {
        if (live && request === sent.current) setAnswer({ key, status: s, problem: null });
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

  const moving = busy || (status?.progress !== undefined && !status.progress.done);
  useEffect(() => {
    const timer = setTimeout(refresh, moving ? poll.active : poll.idle);
    return () => clearTimeout(timer);
  }, [refresh, moving, poll.active, poll.idle, status, problem]);

  return { status, problem, refresh };
}
