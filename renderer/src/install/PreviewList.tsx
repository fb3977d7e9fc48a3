/**
 * The plan preview: per host (and the cluster), what will change and what is already in
 * place, with counts. Comes from `bootstrap.preview`, which only runs the checks.
 */
import type { PreviewItemView, PreviewView } from '@nodeless/backend/api';
import { OkIcon } from '../onboarding/status-icons.tsx';
import { PHASE_LABELS } from './run-model.ts';

interface Group {
  key: string;
  label: string;
  items: PreviewItemView[];
}

/** Items grouped by host in first-seen order; cluster-level items last. */
export function groupPreview(items: readonly PreviewItemView[]): Group[] {
  const groups = new Map<string, Group>();
  for (const item of items) {
    const key = item.hostId ?? '';
    let g = groups.get(key);
    if (!g) {
      g = { key, label: item.hostLabel ?? item.host ?? 'Cluster', items: [] };
      groups.set(key, g);
    }
    g.items.push(item);
  }
  const cluster = groups.get('');
  groups.delete('');
  if (cluster) groups.set('', { ...cluster, label: 'Cluster' });
  return [...groups.values()];
}

export function PreviewList({ preview }: { preview: PreviewView }) {
  const groups = groupPreview(preview.items);
  return (
    <section className="preview" aria-labelledby="preview-title">
      <h3 id="preview-title">Preview</h3>
      <p role="status">
        <strong>
          {preview.changes === 0 ? 'Nothing to change' : `${preview.changes} changes`}
        </strong>
        {' · '}
        {preview.unchanged} already in place. Nothing has been changed yet.
      </p>
      {groups.map((g) => {
        const changes = g.items.filter((i) => i.willChange).length;
        return (
          <div
            key={g.key}
            className="preview-group"
            role="group"
            aria-label={`Preview of ${g.label}`}
          >
            <h4>
              <span className="mono">{g.label}</span>{' '}
              <span className="muted small">
                {changes} to change · {g.items.length - changes} in place
              </span>
            </h4>
            <ul>
              {g.items.map((i) => (
                <li key={i.key} className={i.willChange ? 'will-change' : 'in-place'}>
                  {i.willChange ? (
                    <span className="change-mark" role="img" aria-label="Will change">
                      +
                    </span>
                  ) : (
                    <OkIcon label="Already in place" />
                  )}
                  <span className="preview-phase muted small">{PHASE_LABELS[i.phase]}</span>
                  <span>
                    {i.title}
                    {i.detail ? <span className="muted small"> — {i.detail}</span> : null}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
