/**
 * What the UI benchmark measures inside the page, as plain JavaScript expressions for
 * `page.evaluate` (strings, not functions: tsx's transform of a function may reference helpers
 * that do not exist in the page). Times are the page's own `performance.now()`, so nothing of
 * the DevTools protocol's round trips is counted; "painted" means the next animation frame after
 * the DOM shows the rows.
 *
 * Selectors follow the renderer's accessible names: the grid `Pods`, its rows (the header row
 * has aria-rowindex 1), the `Search pods` box.
 *
 * @see https://developer.mozilla.org/en-US/docs/Web/API/Window/requestAnimationFrame
 */

/** Data rows of the Pods grid (the header row excluded). */
export const ROWS = `[role="grid"][aria-label="Pods"] [role="row"]:not([aria-rowindex="1"])`;

const waitForPaint = `
  const painted = (done) => new Promise((resolve, reject) => {
    const started = performance.now();
    const poll = () => {
      if (done()) { requestAnimationFrame(() => resolve(performance.now())); return; }
      if (performance.now() - started > 120000) { reject(new Error('timed out after 120 s')); return; }
      requestAnimationFrame(poll);
    };
    poll();
  });`;

/**
 * Clicks the section link named `Pods` and resolves the ms until the first rows are painted.
 */
export const openPodsSection = `(async () => {
  ${waitForPaint}
  const link = [...document.querySelectorAll('nav[aria-label="Cluster sections"] a')]
    .find((a) => a.textContent.trim() === 'Pods');
  if (!link) throw new Error('no link named Pods');
  const t0 = performance.now();
  link.click();
  const t1 = await painted(() => document.querySelector(${JSON.stringify(ROWS)}) !== null);
  return t1 - t0;
})()`;

/** Starts recording frame intervals (requestAnimationFrame deltas). */
export const startFrames = `(() => {
  window.__benchFrames = [];
  window.__benchStop = false;
  let last = performance.now();
  const loop = (t) => {
    window.__benchFrames.push(t - last);
    last = t;
    if (!window.__benchStop) requestAnimationFrame(loop);
  };
  requestAnimationFrame((t) => { last = t; requestAnimationFrame(loop); });
})()`;

/** Stops recording; returns the frame intervals (ms). */
export const stopFrames = `(() => { window.__benchStop = true; return window.__benchFrames; })()`;

/**
 * Types `query` into the `Search pods` box (one input event, as a paste) and resolves the ms
 * until the first data row shows a pod whose name contains it, painted.
 */
export function applyFilter(query: string): string {
  return `(async () => {
    ${waitForPaint}
    const label = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === 'Search pods');
    const input = label && (label.control || document.getElementById(label.htmlFor));
    if (!input) throw new Error('no "Search pods" box');
    const q = ${JSON.stringify(query)};
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    const t0 = performance.now();
    setter.call(input, q);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const t1 = await painted(() => {
      const rows = document.querySelectorAll(${JSON.stringify(ROWS)});
      return rows.length > 0 && [...rows].every((r) => r.textContent.includes(q));
    });
    return t1 - t0;
  })()`;
}

/** The number of data rows in the DOM (virtualised: only what is on screen). */
export const rowCount = `document.querySelectorAll(${JSON.stringify(ROWS)}).length`;

/**
 * Resolves once the cluster's Overview (`workspace.overview`, read as Server-Sent Events the way
 * scripts may read any subscription) counts at least `pods` pods: the backend has listed them.
 */
export function overviewCounts(clusterId: string, pods: number): string {
  const input = encodeURIComponent(JSON.stringify({ clusterId }));
  return `new Promise((resolve, reject) => {
    const es = new EventSource('/api/trpc/workspace.overview?input=${input}');
    const timer = setTimeout(() => { es.close(); reject(new Error('the backend did not list ${pods} pods within 300 s')); }, 300000);
    const total = (v) => {
      if (v === null || typeof v !== 'object') return -1;
      if (v.pods && typeof v.pods.total === 'number') return v.pods.total;
      return Math.max(-1, ...Object.values(v).map(total));
    };
    es.onmessage = (e) => {
      let data;
      try { data = JSON.parse(e.data); } catch { return; }
      if (total(data) >= ${pods}) { clearTimeout(timer); es.close(); resolve(true); }
    };
  })`;
}
