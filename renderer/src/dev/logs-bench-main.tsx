/**
 * The log viewer alone on a fake stream (renderer/logs-bench.html): for looking at it without a
 * backend (`npx vite renderer`, then /logs-bench.html) and for `npm run bench:ui`'s logs line,
 * which builds this page for production and measures frames while the stream runs. The real
 * component, only the stream is fake.
 *
 * Query: `rate` (lines/s, 5000), `total` (lines, 100000; 0 = endless), `pods` (>1 = workload
 * mode), `waitingMs` (a container waiting to start first). `window.__logsBench.sent()` says how
 * many lines the fake has sent.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LogViewer } from '../logs/LogViewer.tsx';
import type { LogTarget } from '../logs/log-options.ts';
import { createFakeLogs } from './fake-logs.ts';
import '../styles.css';

const q = new URLSearchParams(window.location.search);
const num = (name: string, fallback: number): number => {
  const v = Number(q.get(name) ?? fallback);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
};
const pods = num('pods', 1);
const total = num('total', 100_000);
const api = createFakeLogs({
  rate: num('rate', 5000),
  total: total === 0 ? Infinity : total,
  pods,
  waitingMs: num('waitingMs', 0),
});
(window as unknown as { __logsBench: { sent(): number } }).__logsBench = api;

const target: LogTarget =
  pods > 1
    ? {
        kind: 'workload',
        namespace: 'bench',
        workload: { kind: 'Deployment', name: 'web' },
        containers: ['app', 'sidecar'],
      }
    : { kind: 'pod', namespace: 'bench', pod: 'web-0', containers: ['app', 'sidecar'] };

const root = document.getElementById('root');
if (!root) throw new Error('logs-bench.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <main className="logs-bench">
      <LogViewer clusterId="bench" target={target} api={api} />
    </main>
  </StrictMode>,
);
