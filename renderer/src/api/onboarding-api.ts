/**
 * What the onboarding screens need from the backend (`onboarding.*`), as a narrow interface
 * so views can be driven by a fake and the transport changes in one place.
 *
 * @see ../../../backend/src/api/routers/onboarding.ts — the procedures behind it.
 */
import type {
  CheckInput,
  ClusterCheckView,
  OnboardingEvent,
  SshConfigHostView,
  TrustHostKeyInput,
} from '@nodeless/backend/api';

/** Callbacks of one cluster's live onboarding stream. */
export interface OnboardingStreamHandlers {
  onEvent(event: OnboardingEvent): void;
  /** Stream ended for good (e.g. the cluster was deleted or the session refused). */
  onFailed(error: unknown): void;
}

/** The `onboarding.*` procedures the renderer uses. */
export interface OnboardingApi {
  sshConfigHosts(): Promise<SshConfigHostView[]>;
  check(input: CheckInput): Promise<{ checkId: string }>;
  lastReport(input: { clusterId: string }): Promise<ClusterCheckView | null>;
  /** `replace: true` is required to replace a previously trusted, different key. */
  trustHostKey(input: TrustHostKeyInput): Promise<{ hostId: string; fingerprint: string }>;
  forgetHostKey(input: { hostId: string }): Promise<{ hostId: string }>;
  /** Opens the cluster's event stream; returns a function that closes it. */
  subscribe(clusterId: string, handlers: OnboardingStreamHandlers): () => void;
}
