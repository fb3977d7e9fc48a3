/**
 * One machine on the capacity map: what it is, what it gives to pods, which sandbox it can
 * run, and every verdict with its remedy (problems first; passed checks folded away).
 */
import { endpoint } from '../ui/HostTable.tsx';
import type { HostCheckView } from '@nodeless/backend/api';
import { formatBytes } from './format.ts';
import { RichText } from './RichText.tsx';
import { VerdictIcon } from './status-icons.tsx';

const SANDBOX: Record<NonNullable<HostCheckView['sandbox']>, { text: string; title: string }> = {
  'microvm-ready': {
    text: 'microVM-ready',
    title: 'Usable KVM: every pod runs in its own lightweight virtual machine (Kata Containers).',
  },
  'gvisor-only': {
    text: 'gVisor-only',
    title:
      'No usable KVM: pods are sandboxed with gVisor (a user-space kernel) instead of microVMs.',
  },
  unsupported: {
    text: 'Unsupported',
    title: 'Neither microVMs nor gVisor can run here; this machine cannot host pods.',
  },
};

/** Which sandbox a machine can run, with a one-line explanation on hover. */
export function SandboxBadge({ sandbox }: { sandbox: NonNullable<HostCheckView['sandbox']> }) {
  const s = SANDBOX[sandbox];
  return (
    <span className={`badge sandbox sandbox-${sandbox}`} title={s.title}>
      {s.text}
    </span>
  );
}

/** Inputs of {@link HostCard}. */
export interface HostCardProps {
  host: HostCheckView;
  rejected: boolean;
  onReviewKey(): void;
}

/** One machine's card (see the file comment). */
export function HostCard({ host, rejected, onReviewKey }: HostCardProps) {
  const name = endpoint(host);
  const f = host.facts;
  const problems = host.verdicts.filter((v) => v.level !== 'ok');
  const passed = host.verdicts.filter((v) => v.level === 'ok');
  return (
    <article className={`host-card status-${host.status}`} aria-label={`Machine ${name}`}>
      <header>
        <div className="host-card-title">
          <h4>{f?.hostname ?? name}</h4>
          {f ? <span className="mono small muted">{name}</span> : null}
        </div>
        <div className="badges">
          <span className={`badge role-${host.role}`}>{host.role}</span>
          {host.sandbox ? <SandboxBadge sandbox={host.sandbox} /> : null}
        </div>
      </header>
      {f ? (
        <>
          <p className="muted small">
            {f.os} · {f.arch} · kernel {f.kernel}
          </p>
          <dl className="specs">
            <div>
              <dt>vCPU</dt>
              <dd title={f.cpuModel}>{f.cpus}</dd>
            </div>
            <div>
              <dt>Memory</dt>
              <dd>{formatBytes(f.memoryBytes)}</dd>
            </div>
            <div>
              <dt>Free disk</dt>
              <dd>{formatBytes(f.diskFreeBytes)}</dd>
            </div>
          </dl>
          {host.capacity ? (
            <p className="small">
              For pods: <strong>{formatSize1(host.capacity.vcpu)} vCPU</strong>,{' '}
              <strong>{formatBytes(host.capacity.memoryBytes)}</strong>
            </p>
          ) : null}
        </>
      ) : null}
      <HostProblem host={host} rejected={rejected} onReviewKey={onReviewKey} />
      {problems.length > 0 ? (
        <ul className="verdicts">
          {problems.map((v) => (
            <li key={v.rule} className={`verdict verdict-${v.level}`}>
              <VerdictIcon level={v.level} />
              <div>
                <p>
                  <RichText text={v.reason} />
                </p>
                {v.remedy ? (
                  <p className="remedy">
                    <RichText text={v.remedy} />
                  </p>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {passed.length > 0 ? (
        <details className="passed">
          <summary>
            {passed.length === 1 ? '1 check passed' : `${passed.length} checks passed`}
          </summary>
          <ul className="verdicts">
            {passed.map((v) => (
              <li key={v.rule} className="verdict verdict-ok">
                <VerdictIcon level="ok" />
                <p>
                  <RichText text={v.reason} />
                </p>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </article>
  );
}

function formatSize1(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '');
}

function HostProblem({ host, rejected, onReviewKey }: HostCardProps) {
  if (host.status === 'needs-trust') {
    return (
      <div className="detail detail-warn">
        <p>
          {rejected
            ? 'Host key rejected: Nodeless will not connect to this machine.'
            : 'Waiting for you to confirm its host key.'}
        </p>
        {host.hostKey ? (
          <button type="button" className="small" onClick={onReviewKey}>
            Review host key
          </button>
        ) : null}
      </div>
    );
  }
  if (host.status !== 'failed' || !host.failure) return null;
  return (
    <div className="detail detail-block">
      <p>
        <strong>Not reachable for the check:</strong> <RichText text={host.failure.message} />
      </p>
      <p>
        <strong>What to do:</strong> <RichText text={host.failure.remedy} />
      </p>
    </div>
  );
}
