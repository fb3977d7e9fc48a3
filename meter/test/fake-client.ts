/**
 * An in-memory stand-in for the six client calls the meter makes, with the API server's
 * concurrency rules: create of an existing name → 409, update/delete/merge-patch with a stale
 * resourceVersion → 409, update of an immutable ConfigMap's data → 422, missing → 404 (get:
 * undefined). Every object gets a new resourceVersion on each write.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { KubeApiError, type ResourceRef } from '@nodeless/cluster-runtime';
import type { MeterClient, MeterTimers } from '../src/client.ts';

type Obj = KubernetesObject & Record<string, unknown>;

export interface FakeClient extends MeterClient {
  objects: Map<string, Obj>;
  /** Calls made, as `verb kind name`. */
  calls: string[];
  /** Runs before each write; throw to inject a failure. */
  beforeWrite?: (verb: string, kind: string, name: string) => void;
  put<T extends KubernetesObject>(type: ResourceRef, o: T): void;
  all<T extends KubernetesObject>(kind: string): T[];
}

const err = (code: number, reason: string, msg: string) =>
  new KubeApiError(code, reason, msg, 'X', '/fake');

export function fakeClient(): FakeClient {
  const objects = new Map<string, Obj>();
  let rv = 100;
  const k = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;
  const stored = (o: KubernetesObject, kind: string): Obj => {
    const c = structuredClone(o) as Obj;
    c.kind = kind;
    c.metadata = { ...c.metadata, resourceVersion: String(++rv) };
    return c;
  };
  const fc: FakeClient = {
    objects,
    calls: [],
    put(type, o) {
      objects.set(
        k(type.kind, o.metadata?.namespace, o.metadata?.name ?? ''),
        stored(o, type.kind),
      );
    },
    all<T extends KubernetesObject>(kind: string) {
      return [...objects.entries()]
        .filter(([key]) => key.startsWith(`${kind}/`))
        .map(([, o]) => structuredClone(o) as unknown as T);
    },
    async get<T extends KubernetesObject>(type: ResourceRef, name: string, namespace?: string) {
      const o = objects.get(k(type.kind, namespace, name));
      return o ? (structuredClone(o) as unknown as T) : undefined;
    },
    // Pages like the API server: by name, `continue` names where the next page starts.
    async list<T extends KubernetesObject>(
      type: ResourceRef,
      o: { namespace?: string; labelSelector?: string; limit?: number; continue?: string } = {},
    ) {
      const [lk, lv] = (o.labelSelector ?? '').split('=');
      const all = fc
        .all<T>(type.kind)
        .filter(
          (x) =>
            (o.namespace === undefined || x.metadata?.namespace === o.namespace) &&
            (!lk || x.metadata?.labels?.[lk] === lv),
        )
        .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
      const after = o.continue;
      const from = after ? all.findIndex((x) => (x.metadata?.name ?? '') >= after) : 0;
      const start = from < 0 ? all.length : from;
      const end = o.limit ? start + o.limit : all.length;
      const next = all[end]?.metadata?.name;
      return {
        items: all.slice(start, end),
        resourceVersion: String(rv),
        ...(next ? { continue: next } : {}),
      };
    },
    async create<T extends KubernetesObject>(type: ResourceRef, o: T) {
      const name = o.metadata?.name ?? '';
      fc.calls.push(`create ${type.kind} ${name}`);
      fc.beforeWrite?.('create', type.kind, name);
      const key = k(type.kind, o.metadata?.namespace, name);
      if (objects.has(key)) throw err(409, 'AlreadyExists', `${name} already exists`);
      const s = stored(
        { ...o, metadata: { ...o.metadata, resourceVersion: undefined } },
        type.kind,
      );
      objects.set(key, s);
      return structuredClone(s) as unknown as T;
    },
    async replace<T extends KubernetesObject>(type: ResourceRef, o: T) {
      const name = o.metadata?.name ?? '';
      fc.calls.push(`replace ${type.kind} ${name}`);
      fc.beforeWrite?.('replace', type.kind, name);
      const key = k(type.kind, o.metadata?.namespace, name);
      const old = objects.get(key);
      if (!old) throw err(404, 'NotFound', `${name} not found`);
      const given = o.metadata?.resourceVersion;
      if (given && given !== old.metadata?.resourceVersion)
        throw err(409, 'Conflict', 'the object has been modified');
      if (
        old['immutable'] === true &&
        JSON.stringify(old['data']) !== JSON.stringify((o as unknown as Obj)['data'])
      )
        throw err(422, 'Invalid', 'data: Forbidden: field is immutable when `immutable` is set');
      const s = stored(o, type.kind);
      objects.set(key, s);
      return structuredClone(s) as unknown as T;
    },
    async delete(
      type: ResourceRef,
      name: string,
      namespace?: string,
      o: { resourceVersion?: string } = {},
    ) {
      fc.calls.push(`delete ${type.kind} ${name}`);
      fc.beforeWrite?.('delete', type.kind, name);
      const key = k(type.kind, namespace, name);
      const old = objects.get(key);
      if (!old) return false;
      if (o.resourceVersion && o.resourceVersion !== old.metadata?.resourceVersion)
        throw err(409, 'Conflict', 'precondition failed');
      objects.delete(key);
      return true;
    },
    async mergePatch<T extends KubernetesObject>(
      type: ResourceRef,
      name: string,
      patch: unknown,
      namespace?: string,
    ) {
      fc.calls.push(`patch ${type.kind} ${name}`);
      fc.beforeWrite?.('patch', type.kind, name);
      const key = k(type.kind, namespace, name);
      const old = objects.get(key);
      if (!old) throw err(404, 'NotFound', `${name} not found`);
      const meta = (patch as { metadata?: Record<string, unknown> }).metadata ?? {};
      if (meta['resourceVersion'] && meta['resourceVersion'] !== old.metadata?.resourceVersion)
        throw err(409, 'Conflict', 'the object has been modified');
      const next = structuredClone(old);
      const finalizers = meta['finalizers'];
      if (finalizers === null) delete next.metadata?.finalizers;
      else if (Array.isArray(finalizers)) next.metadata = { ...next.metadata, finalizers };
      const s = stored(next, type.kind);
      objects.set(key, s);
      return structuredClone(s) as unknown as T;
    },
  };
  return fc;
}

/** Manual clock and timers: `advance(ms)` fires what is due, in order. */
export interface FakeTimers extends MeterTimers {
  advance(ms: number): Promise<void>;
  pending(): number;
}

export function fakeTimers(startMs: number): FakeTimers {
  let now = startMs;
  let id = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  const flush = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise((r) => setImmediate(r));
  };
  return {
    now: () => now,
    setTimeout(fn, ms) {
      due.set(++id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(h) {
      due.delete(h as number);
    },
    pending: () => due.size,
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        await flush();
        const next = [...due.entries()]
          .filter(([, t]) => t.at <= end)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        due.delete(next[0]);
        now = Math.max(now, next[1].at);
        next[1].fn();
      }
      now = end;
      await flush();
    },
  };
}
