/**
 * An HPA as the controller sees it now: replicas now and wanted, each metric against its target,
 * and the AbleToScale / ScalingActive / ScalingLimited conditions in words (headline, then the
 * controller's reason and message) — what `kubectl describe hpa` shows.
 */
import type { HpaState } from '@nodeless/backend/api';
import { metricText } from './operate-model.ts';

export function HpaSummary({ hpa }: { hpa: HpaState }) {
  const m = hpa.model;
  return (
    <div className="hpa-summary">
      <dl className="facts">
        <div>
          <dt>Replicas now</dt>
          <dd>{hpa.currentReplicas}</dd>
        </div>
        <div>
          <dt>Wanted</dt>
          <dd>{hpa.desiredReplicas}</dd>
        </div>
        {m ? (
          <div>
            <dt>Range</dt>
            <dd>
              {m.minReplicas} to {m.maxReplicas}
            </dd>
          </div>
        ) : null}
        {m ? (
          <div>
            <dt>Scale-down wait</dt>
            <dd>
              {m.scaleDownStabilizationSeconds === undefined
                ? 'default (300 s)'
                : `${m.scaleDownStabilizationSeconds} s`}
            </dd>
          </div>
        ) : null}
      </dl>
      {hpa.metrics.length > 0 ? (
        <ul className="hpa-metrics" aria-label="Metrics">
          {hpa.metrics.map((metric) => (
            <li key={metric.resource}>{metricText(metric)}</li>
          ))}
        </ul>
      ) : null}
      {hpa.conditions.length > 0 ? (
        <ul className="hpa-conditions" aria-label="Conditions">
          {hpa.conditions.map((c) => (
            <li key={c.type} className={c.status === 'True' ? 'cond-true' : 'cond-false'}>
              <strong>{c.headline}</strong>
              {c.reason || c.message ? (
                <span className="muted">
                  {' — '}
                  {c.reason ? `${c.reason}: ` : ''}
                  {c.message ?? ''}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">The controller has not looked at it yet.</p>
      )}
      {hpa.unsupported ? (
        <p className="hint">
          The form cannot edit this autoscaler: {hpa.unsupported}. Edit it as YAML.
        </p>
      ) : null}
    </div>
  );
}
