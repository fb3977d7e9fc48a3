/**
 * The operations panel's followed operation (see ./follow-model.ts): re-judged whenever the
 * feed brings a new rollout progress, and once more when the grace period ends (nothing may
 * change on the cluster, so nothing would arrive). No polling: the feed is a watch.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RolloutProgress } from '@nodeless/backend/api';
import { followStep, SETTLE_MS, type Followed } from './follow-model.ts';

export interface FollowedRollout {
  /** What the user started and is followed (`Scaling to 3`), or null. */
  following: string | null;
  /** `Scaling to 3: deployment "web" successfully rolled out` once a followed one is done. */
  finished: string | null;
  /** Follows an operation just started. */
  follow(what: string): void;
}

export function useFollowedRollout(progress: RolloutProgress | undefined): FollowedRollout {
  const followed = useRef<Followed | null>(null);
  const [following, setFollowing] = useState<string | null>(null);
  const [finished, setFinished] = useState<string | null>(null);
  const [wake, setWake] = useState(0);
  const follow = useCallback((what: string) => {
    followed.current = { what, since: Date.now(), moved: false };
    setFollowing(what);
    setFinished(null);
  }, []);

  useEffect(() => {
    const f = followed.current;
    if (!f) return;
    const step = followStep(f, progress, Date.now());
    if (step.kind === 'finished') {
      followed.current = null;
      setFollowing(null);
      setFinished(step.text);
      return;
    }
    followed.current = step.followed;
    // Once the grace period is over only a new progress can end it: no timer then.
    const left = f.since + SETTLE_MS - Date.now();
    if (left < 0) return;
    const timer = setTimeout(() => setWake((n) => n + 1), left + 20);
    return () => clearTimeout(timer);
  }, [progress, following, wake]);

  return { following, finished, follow };
}
