/**
 * A fake `usage.*` / `meter.*` for the dev entry: a week of a demo-like bill (three namespaces,
 * a few workloads, some short Job pods, one workload without usage metrics), so the Usage
 * screens can be looked at without a backend. Numbers are made up but consistent: every table's
 * total is the sum of its rows and the CSV carries the same rows. URL parameter `meter`
 * (`running`, `stale`, `absent`) picks the header's state; with `absent`, `held=N` adds N pods
 * held by the metering finalizer.
 */
import { formatMicros, GIB, rfc3339 } from '@nodeless/common';
import type {
  PriceSettings,
  UsageEfficiency,
  UsageIdle,
  UsageRow,
  UsageSeries,
  UsageStatus,
  UsageTable,
  UsageTableInput,
} from '@nodeless/backend/api';
import type { UsageApi } from '../api/usage-api.ts';

interface FakePod {
  uid: string;
  namespace: string;
  workload?: { kind: string; name: string };
  name: string;
  start: number;
  end: number;
  cpuMilli: number;
  memoryBytes: number;
  cpuPpm?: number;
  memoryPpm?: number;
}

const NANOS_VCPU_H = 40_480_000;
const NANOS_GIB_H = 4_445_000;

const WORKLOADS: [string, string, string, number, number, number, number | undefined][] = [
  ['shop', 'Deployment', 'web', 3, 500, 1, 350_000],
  ['shop', 'Deployment', 'api', 2, 1000, 2, 520_000],
  ['shop', 'StatefulSet', 'redis', 1, 1000, 2, 120_000],
  ['data', 'Deployment', 'etl-scheduler', 1, 250, 1, undefined],
  ['data', 'Deployment', 'ingest-worker', 1, 250, 0.5, 80_000],
  ['ml', 'Deployment', 'inference', 2, 2000, 8, 710_000],
];

function pods(now: number): FakePod[] {
  const weekAgo = Math.floor(now / 3600) * 3600 - 7 * 86_400;
  const out: FakePod[] = [];
  let n = 0;
  for (const [ns, kind, name, replicas, cpu, gib, ppm] of WORKLOADS) {
    for (let r = 0; r < replicas; r++) {
      // Each replica restarts every two days (a rollout), so the week has a few pods each.
      for (let t = weekAgo; t < now; t += 2 * 86_400) {
        n++;
        out.push({
          uid: `uid-${n}`,
          namespace: ns,
          workload: { kind, name },
          name: `${name}-${(n * 2654435761).toString(36).slice(-5)}`,
          start: t + r * 37,
          end: Math.min(now, t + 2 * 86_400),
          cpuMilli: cpu,
          memoryBytes: gib * GIB,
          ...(ppm === undefined
            ? {}
            : { cpuPpm: ppm, memoryPpm: Math.min(990_000, ppm + 150_000) }),
        });
      }
    }
  }
  // The nightly report: one short pod a night, and a bare debug pod.
  for (let d = 0; d < 7; d++) {
    n++;
    const start = weekAgo + d * 86_400 + 2 * 3600;
    out.push({
      uid: `uid-${n}`,
      namespace: 'shop',
      workload: { kind: 'CronJob', name: 'nightly-report' },
      name: `nightly-report-${d}`,
      start,
      end: start + 47 + d * 13,
      cpuMilli: 250,
      memoryBytes: GIB / 2,
      cpuPpm: 910_000,
      memoryPpm: 400_000,
    });
  }
  out.push({
    uid: 'uid-debug',
    namespace: 'data',
    name: 'debug-shell',
    start: weekAgo + 3 * 86_400,
    end: weekAgo + 3 * 86_400 + 1234,
    cpuMilli: 250,
    memoryBytes: GIB / 2,
  });
  return out;
}

const cost = (p: Pick<FakePod, 'cpuMilli' | 'memoryBytes'>, seconds: number): number =>
  Math.round(
    (((p.cpuMilli / 1000) * NANOS_VCPU_H + (p.memoryBytes / GIB) * NANOS_GIB_H) *
      (seconds / 3600)) /
      1000,
  );

function clip(p: FakePod, from: number, to: number): number {
  return Math.max(0, Math.min(p.end, to) - Math.max(p.start, from));
}

function efficiencyOf(list: { p: FakePod; s: number }[]): UsageEfficiency {
  let covered = 0;
  let cpu = 0;
  let mem = 0;
  let missing = 0;
  for (const { p, s } of list) {
    if (p.cpuPpm === undefined || p.memoryPpm === undefined) missing++;
    else {
      covered += s;
      cpu += p.cpuPpm * s;
      mem += p.memoryPpm * s;
    }
  }
  if (covered === 0) return { state: 'missing' };
  return {
    state: 'measured',
    cpuPpm: Math.round(cpu / covered),
    memoryPpm: Math.round(mem / covered),
    coveredSeconds: covered,
    missing,
  };
}

const iso = rfc3339;

function table(all: FakePod[], input: UsageTableInput): UsageTable {
  const from = Date.parse(input.from) / 1000;
  const to = Date.parse(input.to) / 1000;
  const groups = new Map<string, { row: UsageRow; list: { p: FakePod; s: number }[] }>();
  for (const p of all) {
    const s = clip(p, from, to);
    if (s <= 0) continue;
    if (input.namespace && p.namespace !== input.namespace) continue;
    const wl = p.workload ? `${p.workload.kind}/${p.workload.name}` : '';
    if (input.workload !== undefined && wl !== input.workload) continue;
    const key =
      input.by === 'namespace'
        ? p.namespace
        : input.by === 'workload'
          ? `${p.namespace}/${wl}`
          : p.uid;
    let g = groups.get(key);
    if (!g) {
      g = {
        row: {
          key,
          namespace: p.namespace,
          ...(input.by !== 'namespace' && p.workload ? { workload: p.workload } : {}),
          ...(input.by === 'pod'
            ? {
                pod: {
                  name: p.name,
                  uid: p.uid,
                  start: iso(p.start),
                  ...(p.end < Date.now() / 1000 - 60 ? { end: iso(p.end) } : {}),
                  spec: { cpuMilli: p.cpuMilli, memoryBytes: p.memoryBytes },
                },
              }
            : {}),
          pods: 0,
          seconds: 0,
          specCpuMilliSeconds: 0,
          specMemoryKiBSeconds: 0,
          costMicros: 0,
          efficiency: { state: 'missing' },
        },
        list: [],
      };
      groups.set(key, g);
    }
    g.row.pods++;
    g.row.seconds += s;
    g.row.specCpuMilliSeconds += p.cpuMilli * s;
    g.row.specMemoryKiBSeconds += (p.memoryBytes / 1024) * s;
    g.row.costMicros += cost(p, s);
    g.list.push({ p, s });
  }
  const rows = [...groups.values()].map((g) => ({ ...g.row, efficiency: efficiencyOf(g.list) }));
  rows.sort((a, b) => b.costMicros - a.costMicros);
  const list = [...groups.values()].flatMap((g) => g.list);
  return {
    currency: 'USD',
    rows,
    total: {
      pods: rows.reduce((n, r) => n + r.pods, 0),
      seconds: rows.reduce((n, r) => n + r.seconds, 0),
      costMicros: rows.reduce((n, r) => n + r.costMicros, 0),
      efficiency: efficiencyOf(list),
    },
  };
}

function series(all: FakePod[], from: number, to: number, by: string, bucket: string): UsageSeries {
  const step = bucket === 'day' ? 86_400 : 3600;
  const buckets: number[] = [];
  for (let t = Math.floor(from / step) * step; t < to; t += step) buckets.push(t);
  const map = new Map<string, number[]>();
  for (const p of all) {
    const wl = p.workload ? `${p.workload.kind}/${p.workload.name}` : '';
    const key = by === 'namespace' ? p.namespace : `${p.namespace}/${wl}`;
    const arr = map.get(key) ?? new Array<number>(buckets.length).fill(0);
    map.set(key, arr);
    buckets.forEach((b, i) => {
      const s = clip(p, b, b + step);
      if (s > 0) arr[i] = (arr[i] ?? 0) + cost(p, s);
    });
  }
  return {
    currency: 'USD',
    buckets,
    series: [...map.entries()]
      .map(([key, costMicros]) => ({
        key,
        label: key.endsWith('/') ? `${key}(bare pods)` : key,
        costMicros,
      }))
      .sort(
        (a, b) => b.costMicros.reduce((x, y) => x + y, 0) - a.costMicros.reduce((x, y) => x + y, 0),
      ),
  };
}

function idle(all: FakePod[], from: number, to: number): UsageIdle {
  const capCpu = 24_000 * 3600;
  const capMem = ((96 * GIB) / 1024) * 3600;
  const hours: UsageIdle['hours'] = [];
  for (let h = Math.floor(from / 3600) * 3600; h < Math.min(to, Date.now() / 1000); h += 3600) {
    let cpu = 0;
    let mem = 0;
    for (const p of all) {
      const s = clip(p, h, h + 3600);
      cpu += p.cpuMilli * s;
      mem += (p.memoryBytes / 1024) * s;
    }
    const idleCpu = Math.max(0, capCpu - cpu);
    const idleMem = Math.max(0, capMem - mem);
    hours.push({
      hour: h,
      capacity: { cpuMilliSeconds: capCpu, memoryKiBSeconds: capMem },
      billed: { cpuMilliSeconds: cpu, memoryKiBSeconds: mem },
      overhead: { cpuMilliSeconds: 0, memoryKiBSeconds: 0 },
      idle: { cpuMilliSeconds: idleCpu, memoryKiBSeconds: idleMem },
      idleMicros: cost({ cpuMilli: idleCpu / 3600, memoryBytes: (idleMem * 1024) / 3600 }, 3600),
      overcommitted: cpu > capCpu,
    });
  }
  const sum = (f: (h: UsageIdle['hours'][number]) => number): number =>
    hours.reduce((n, h) => n + f(h), 0);
  return {
    currency: 'USD',
    hours,
    total: {
      capacity: {
        cpuMilliSeconds: sum((h) => h.capacity.cpuMilliSeconds),
        memoryKiBSeconds: sum((h) => h.capacity.memoryKiBSeconds),
      },
      billed: {
        cpuMilliSeconds: sum((h) => h.billed.cpuMilliSeconds),
        memoryKiBSeconds: sum((h) => h.billed.memoryKiBSeconds),
      },
      overhead: { cpuMilliSeconds: 0, memoryKiBSeconds: 0 },
      idle: {
        cpuMilliSeconds: sum((h) => h.idle.cpuMilliSeconds),
        memoryKiBSeconds: sum((h) => h.idle.memoryKiBSeconds),
      },
      idleMicros: sum((h) => h.idleMicros),
    },
    hoursWithoutCapacity: 0,
  };
}

export function createFakeUsage(params: URLSearchParams): UsageApi {
  const now = Math.floor(Date.now() / 1000);
  const all = pods(now);
  const meter = params.get('meter') ?? 'running';
  let prices: PriceSettings = {
    mode: 'entered',
    currency: 'USD',
    minimumSeconds: 0,
    nanosPerVcpuHour: NANOS_VCPU_H,
    nanosPerGibHour: NANOS_GIB_H,
    defaults: true,
  };
  let lastSync = new Date().toISOString();
  const later = <T>(v: T): Promise<T> => new Promise((r) => setTimeout(() => r(v), 150));
  const status = (): UsageStatus => ({
    meter:
      meter === 'absent'
        ? { state: 'absent' }
        : meter === 'stale'
          ? { state: 'stale', holder: 'nodeless-meter-7c9f-x2', renewedAt: iso(now - 600) }
          : { state: 'running', holder: 'nodeless-meter-7c9f-x2', renewedAt: iso(now - 4) },
    installable: meter === 'absent',
    lastSync: { at: lastSync, records: 1234, cursor: '3:120' },
    history: { from: iso(now - 7 * 86_400), to: iso(now) },
    prices,
  });
  return {
    status: () => later(status()),
    sync: () => {
      lastSync = new Date().toISOString();
      return later({ read: 12, added: 3, cursor: '3:132' });
    },
    table: (input) => later(table(all, input)),
    series: (i) =>
      later(series(all, Date.parse(i.from) / 1000, Date.parse(i.to) / 1000, i.by, i.bucket)),
    idle: (i) => later(idle(all, Date.parse(i.from) / 1000, Date.parse(i.to) / 1000)),
    pod: (i) => {
      const p = all.find((x) => x.uid === i.uid) ?? all[0];
      if (!p) return Promise.reject(new Error('no pod'));
      const s = p.end - p.start;
      const c = cost(p, s);
      return later({
        uid: p.uid,
        namespace: p.namespace,
        name: p.name,
        spec: { cpuMilli: p.cpuMilli, memoryBytes: p.memoryBytes },
        seconds: s,
        costMicros: c,
        currency: 'USD',
        line: `billed ${p.cpuMilli / 1000} vCPU / ${p.memoryBytes / GIB} GiB for ${s} s = ${formatMicros(c)}`,
        running: true,
        efficiency: { state: 'missing' },
      });
    },
    csv: (input) => {
      const t = table(all, input);
      const lines = [
        'key,pods,seconds,cost',
        ...t.rows.map((r) => `${r.key},${r.pods},${r.seconds},${formatMicros(r.costMicros)}`),
      ];
      return later({ filename: `usage-${input.by}.csv`, text: `${lines.join('\n')}\n` });
    },
    getPrices: () => later(prices),
    setPrices: (input) => {
      prices = {
        ...prices,
        currency: input.currency,
        minimumSeconds: input.minimumSeconds,
        mode: input.mode,
        defaults: false,
      };
      return later(prices);
    },
    meterStatus: (i) =>
      later({
        clusterId: i.clusterId,
        source: 'imported',
        state: meter === 'absent' ? 'absent' : meter === 'stale' ? 'stale' : 'running',
        installed: meter !== 'absent',
        finalizerEnabled: meter !== 'absent',
        objects: [],
        shippedVersion: '0.1.0',
        replicas: { desired: 2, ready: meter === 'running' ? 2 : 0, available: 0 },
        imageAvailable: 'unknown',
        imageProblems: [],
        installable: true,
        remedy:
          'If the nodes cannot pull nodeless.dev/meter, import it on each node: k3s ctr images import meter.oci.tar.',
        // ?meter=absent&held=N: N pods still carry the finalizer, half of them Terminating.
        ...(meter === 'absent' && params.get('held')
          ? {
              heldPods: {
                withFinalizer: Number(params.get('held')),
                terminating: Math.floor(Number(params.get('held')) / 2),
                complete: true,
                remedy: 'Release them with Release held pods, or install the meter again.',
              },
            }
          : {}),
      }),
    installMeter: () => later(undefined),
    uninstallMeter: () =>
      later({ deleted: [], finalizersRemoved: 0, ledgerObjects: 0, meterStopped: true }),
  };
}
