/**
 * The building blocks of server-side printing (table.ts): a column (name, type, priority —
 * 1 means `-o wide` only — and how to compute its cell), reading fields of plain JSON, and the
 * cells many kinds share (Name, Age, Created At, a pod template's Containers/Images, a
 * selector), written as upstream's printers write them.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go
 */
import { formatLabelSelector } from './label-selector.ts';

export type Rec = Record<string, unknown>;
export type Cell = string | number | boolean;

export interface Col {
  name: string;
  type: 'string' | 'integer' | 'date' | 'boolean';
  /** 1: shown with `-o wide` only. */
  priority?: number;
  /** `name` for the column naming the object. */
  format?: 'name';
  cell: (o: Rec, now: number) => Cell;
}

export const get = (o: unknown, path: string): unknown => {
  let cur = o;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Rec)[p];
  }
  return cur;
};
export const str = (v: unknown, dflt = '<none>'): string =>
  v === undefined || v === null || v === ''
    ? dflt
    : typeof v === 'object'
      ? JSON.stringify(v)
      : String(v as string | number);
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
export const arr = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);
/** Go's `%v` of a bool, as printers write booleans into string cells. */
export const goBool = (v: unknown): string => (v === true ? 'True' : 'False');

/** kubectl's HumanDuration, e.g. `45s`, `5m3s`, `2h`, `3d4h`. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  return d < 365 * 2 ? `${d}d` : `${Math.floor(d / 365)}y`;
}

/** Time since `path` (an RFC 3339 string), or `dflt` without one. */
export function since(o: Rec, path: string, now: number, dflt = '<unknown>'): string {
  const ts = get(o, path);
  return typeof ts === 'string' ? humanDuration(now - Date.parse(ts)) : dflt;
}

export const age: Col = {
  name: 'Age',
  type: 'string',
  cell: (o, now) => since(o, 'metadata.creationTimestamp', now),
};
export const name: Col = {
  name: 'Name',
  type: 'string',
  format: 'name',
  cell: (o) => str(get(o, 'metadata.name'), ''),
};
export const createdAt: Col = {
  name: 'Created At',
  type: 'date',
  cell: (o) => str(get(o, 'metadata.creationTimestamp'), ''),
};

/** `k=v,k2=v2` of a label map, sorted by key; `<none>` when empty. */
export function labelMap(v: unknown): string {
  const entries = Object.entries((v ?? {}) as Record<string, string>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return entries.length === 0 ? '<none>' : entries.map(([k, x]) => `${k}=${x}`).join(',');
}

/** A structured LabelSelector as a string; `<none>` when there is none. */
export const selectorOf = (v: unknown): string => formatLabelSelector(v) || '<none>';

/**
 * The wide columns of a pod template at `specPath` (`spec.template.spec`): its containers'
 * names and images; and, given `selector`, the selector column.
 */
export function templateColumns(specPath: string, selector?: (o: Rec) => string): Col[] {
  const containers = (o: Rec): Rec[] => arr(get(o, `${specPath}.containers`));
  return [
    {
      name: 'Containers',
      type: 'string',
      priority: 1,
      cell: (o) =>
        containers(o)
          .map((c) => str(c['name'], ''))
          .join(','),
    },
    {
      name: 'Images',
      type: 'string',
      priority: 1,
      cell: (o) =>
        containers(o)
          .map((c) => str(c['image'], ''))
          .join(','),
    },
    ...(selector === undefined
      ? []
      : [{ name: 'Selector', type: 'string' as const, priority: 1, cell: selector }]),
  ];
}
