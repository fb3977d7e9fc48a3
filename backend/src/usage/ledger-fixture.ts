/**
 * Test and bench support: a cluster's `nodeless-system` ConfigMaps behind the few KubeClient
 * calls the ledger's sync makes (list by label with pages, get, apply), and ledger records
 * shaped like the meter's. The sync under test runs unchanged — list → chunkFromConfigMap →
 * readLedger → upsert — only the API server is replaced; the integration test runs it against
 * the real control plane.
 */
import { randomUUID } from 'node:crypto';
import {
  appendRecords,
  chunkName,
  chunkToConfigMap,
  KubeApiError,
  LEDGER_LABEL,
  SEGMENT_SECONDS,
  type KubeClient,
  type LedgerChunk,
  type LedgerRecord,
} from '@nodeless/cluster-runtime';
import { GIB } from '@nodeless/common';

type ConfigMap = ReturnType<typeof chunkToConfigMap>;

/** Where the fake finds objects: names per ledger label value (sorted), objects by name. */
export interface LedgerObjects {
  names(labelValue: string): string[];
  get(name: string): ConfigMap | undefined;
  put(cm: ConfigMap): void;
}

export class MemoryLedgerObjects implements LedgerObjects {
  readonly objects = new Map<string, ConfigMap>();
  /** Applies made through the client (the ack). */
  readonly applied: ConfigMap[] = [];

  names(labelValue: string): string[] {
    return [...this.objects.values()]
      .filter((cm) => cm.metadata?.labels?.[LEDGER_LABEL] === labelValue)
      .map((cm) => cm.metadata?.name ?? '')
      .sort();
  }

  get(name: string): ConfigMap | undefined {
    return this.objects.get(name);
  }

  /**
   * Creates or updates by name. Like the API server, a new object gets a fresh uid and an
   * update keeps the uid it had (the sync tells a replaced ledger by its chunks' uids).
   */
  put(cm: ConfigMap): void {
    const name = cm.metadata?.name ?? '';
    const uid = this.objects.get(name)?.metadata?.uid ?? randomUUID();
    this.objects.set(name, { ...cm, metadata: { ...cm.metadata, uid } });
  }

  /** Writes chunks as the meter does. */
  putChunks(chunks: readonly LedgerChunk[]): void {
    for (const c of chunks) this.put(chunkToConfigMap(c));
  }
}

/** A KubeClient over `objects`: list (label `nodeless.dev/ledger=<v>`, pages), get, apply. */
export function fakeLedgerClient(objects: LedgerObjects): KubeClient {
  const unsupported = () => Promise.reject(new Error('not served by the fake ledger client'));
  const client = {
    list(_type: unknown, options: { labelSelector?: string; limit?: number; continue?: string }) {
      const value = /=(.*)$/.exec(options.labelSelector ?? '')?.[1] ?? '';
      const names = objects.names(value);
      const start = Number(options.continue ?? 0);
      const end = options.limit ? Math.min(names.length, start + options.limit) : names.length;
      const items = names.slice(start, end).map((n) => objects.get(n) as ConfigMap);
      return Promise.resolve({
        items,
        resourceVersion: '1',
        ...(end < names.length ? { continue: String(end) } : {}),
      });
    },
    get(_type: unknown, name: string) {
      return Promise.resolve(objects.get(name));
    },
    apply(object: ConfigMap) {
      objects.put(object);
      if (objects instanceof MemoryLedgerObjects) objects.applied.push(object);
      return Promise.resolve(object);
    },
  };
  return new Proxy(client, {
    get: (target, p) =>
      p in target
        ? (target as Record<PropertyKey, unknown>)[p]
        : p === 'then'
          ? undefined
          : unsupported,
  }) as unknown as KubeClient;
}

/** A client whose every call fails as a cluster refusing would. */
export function refusingClient(): KubeClient {
  return new Proxy({} as KubeClient, {
    get: (_t, p) =>
      p === 'then'
        ? undefined
        : () =>
            Promise.reject(
              new KubeApiError(
                403,
                'Forbidden',
                'configmaps is forbidden',
                'GET',
                '/api/v1/configmaps',
              ),
            ),
  });
}

export interface RecordShape {
  /** Records in the whole ledger (the pods' start times spread over `hours` in order). */
  records: number;
  namespaces: number;
  workloadsPerNamespace: number;
  /** First hour of the ledger (epoch seconds, hour-aligned). */
  startHour: number;
  /** Hours the pods spread over. */
  hours: number;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * A UID for pod `n` that looks like the API server's (UUID v4: random, so pods' UIDs are in no
 * order): distinct per pod, reproducible, scattered by Knuth's multiplicative hash. Sequential
 * UIDs would flatter any store keyed by UID (bench:metering measured 15 s against 21.5 s).
 */
function podUid(n: number): string {
  const a = Math.imul(n + 1, 0x9e3779b1) >>> 0;
  const b = Math.imul(a ^ (a >>> 16), 0x85ebca6b) >>> 0;
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b & 0xfff, 3)}-8000-${hex(n, 12)}`;
}

/**
 * The i-th record of a synthetic ledger, in ledger order (pods start through the hours as `i`
 * grows, as a meter appends them): pods of three hourly segments, the last one final, usage
 * measured for nine pods in ten.
 */
export function syntheticRecord(i: number, shape: RecordShape): LedgerRecord {
  const pod = Math.floor(i / 3);
  const part = i % 3;
  const ns = `team-${pod % shape.namespaces}`;
  const w = Math.floor(pod / shape.namespaces) % shape.workloadsPerNamespace;
  const bare = w === 0;
  const pods = Math.max(1, Math.ceil(shape.records / 3));
  const hour =
    shape.startHour / SEGMENT_SECONDS + Math.floor((pod * (shape.hours - 3)) / pods) + part;
  const from = hour * SEGMENT_SECONDS + (part === 0 ? pod % 1800 : 0);
  const final = part === 2;
  const to = final ? hour * SEGMENT_SECONDS + 60 + (pod % 3000) : (hour + 1) * SEGMENT_SECONDS;
  const sizes = [
    { cpuMilli: 250, memoryBytes: GIB / 2 },
    { cpuMilli: 1000, memoryBytes: 2 * GIB },
    { cpuMilli: 2000, memoryBytes: 4 * GIB },
  ];
  const spec = sizes[pod % sizes.length] as { cpuMilli: number; memoryBytes: number };
  return {
    uid: podUid(pod),
    segment: hour,
    namespace: ns,
    name: bare ? `job-${hex(pod, 6)}` : `web-${w}-7d9f8c6b5d-${hex(pod, 5)}`,
    ...(bare ? {} : { owner: { kind: 'Deployment', name: `web-${w}` } }),
    labels: { app: bare ? 'batch' : `web-${w}` },
    spec,
    specSource: 'size',
    runtimeClass: 'kata',
    overhead: { cpuMilli: 100, memoryBytes: 160 * 1024 * 1024 },
    podStart: (hour - part) * SEGMENT_SECONDS + (pod % 1800),
    from,
    to,
    final,
    usage:
      pod % 10 === 0
        ? { state: 'missing' }
        : {
            state: 'measured',
            cpuMilliSeconds: Math.floor((spec.cpuMilli * (to - from)) / 3),
            memoryKiBSeconds: Math.floor(((spec.memoryBytes / 1024) * (to - from)) / 2),
            coveredSeconds: to - from,
          },
  };
}

/** Sealed chunks from `seq` on holding `records` (≤ 1,000 / 512 KiB each, as the meter writes). */
export function chunksOf(records: readonly LedgerRecord[], seq = 0): LedgerChunk[] {
  return appendRecords([], records).chunks.map((c, i) => ({ ...c, seq: seq + i, sealed: true }));
}

export { chunkName };
