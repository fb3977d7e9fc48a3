/**
 * Following an operation the user started (scale, restart, roll back) until its rollout is
 * done, from the rollout progress the `workloads` feed brings (kubectl rollout status's reading,
 * computed once in cluster-runtime). "Done" counts once the rollout was seen moving, or after a
 * grace period for operations that change nothing (scaling to the count it has): the first rows
 * after the operation can still show the finished state of the rollout before, until the
 * controller has caught up — and the feed coalesces, so a quick rollout may never be seen moving.
 */
import type { RolloutProgress } from '@nodeless/backend/api';

/** How long a followed operation may show "done" without having been seen moving. */
export const SETTLE_MS = 3000;

export interface Followed {
  /** What the user started, in words (`Scaling to 3`). */
  what: string;
  /** ms since the epoch when it was started. */
  since: number;
  /** Whether its rollout was seen not done since. */
  moved: boolean;
}

export type FollowStep =
  { kind: 'following'; followed: Followed } | { kind: 'finished'; text: string };

/** The next state of a followed operation, given the rollout's progress now. */
export function followStep(
  f: Followed,
  progress: RolloutProgress | undefined,
  now: number,
): FollowStep {
  const settled = now - f.since >= SETTLE_MS;
  if (!progress) return settled ? { kind: 'finished', text: `${f.what}: done.` } : following(f);
  if (!progress.done) return following(f.moved ? f : { ...f, moved: true });
  if (f.moved || settled)
    return { kind: 'finished', text: `${f.what}: ${progress.failed ?? progress.description}` };
  return following(f);
}

const following = (followed: Followed): FollowStep => ({ kind: 'following', followed });
