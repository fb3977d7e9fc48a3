/**
 * Serves the built renderer: real files by path, `index.html` for `/` and for every unknown
 * path (client-side routing). HTML carries common's strict Content-Security-Policy.
 *
 * @see https://developer.mozilla.org/docs/Web/HTTP/CSP
 */
import fs from 'node:fs';
import { CONTENT_SECURITY_POLICY } from '@nodeless/common';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Resolves a URL path to a file inside `root`, or undefined when it is not a file there.
 * Decoding happens before the containment check, so `%2e%2e/` cannot escape `root`.
 */
export function resolveStatic(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  try {
    return fs.statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a static response (HEAD → headers only). */
export function sendStatic(res: ServerResponse, file: string, headOnly: boolean): void {
  const type = contentTypeOf(file);
  const isHtml = type.startsWith('text/html');
  const body = fs.readFileSync(file);
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', body.length);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // HTML names the hashed assets of the current build, so it must never be cached.
  res.setHeader('Cache-Control', isHtml ? 'no-store' : 'private, max-age=3600');
  if (isHtml) res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.end(headOnly ? undefined : body);
}

/** The page shown when no renderer build is available (backend-only runs, tests). */
export function sendNoRenderer(res: ServerResponse): void {
  sendHtml(
    res,
    404,
    '<!doctype html><meta charset="utf-8"><title>Nodeless</title>' +
      '<p>The Nodeless UI is not built. Run <code>npm run build:renderer</code> and reload.</p>',
  );
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(html);
}
