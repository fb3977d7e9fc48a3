/**
 * `Status` responses and small HTTP helpers shared by the handlers. Bodies are written as
 * upstream's JSON serializer writes them: compact, ending with a newline (Go's
 * `json.Encoder.Encode`).
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/apis/meta/v1/types.go (Status, StatusReason)
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/errors/errors.go (which errors carry details)
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/runtime/serializer/json/json.go (Encode)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StoreError, type ErrorDetails } from '../store/types.ts';

export type StatusDetails = ErrorDetails;

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export function statusObject(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
): StatusObject {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: code < 300 ? 'Success' : 'Failure',
    message,
    // Upstream's Status omits an empty reason (server-side apply's 500s carry none).
    ...(reason === '' ? {} : { reason }),
    ...(details === undefined ? {} : { details }),
    code,
  };
}

/**
 * An error that renders as a Status (the HTTP-level reasons). Its `details` are written exactly
 * as given: upstream's BadRequest carries none, route-level NotFound/MethodNotAllowed `{}`.
 */
export class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }
}

/** Reasons whose upstream Status names the object (NewNotFound, NewAlreadyExists, …). */
const NAMES_OBJECT = new Set(['NotFound', 'AlreadyExists', 'Conflict', 'Forbidden', 'Invalid']);

/**
 * The Status for `err`. A StoreError without details of its own about an object gets
 * `objectDetails` (the object the request URL names).
 */
export function toStatus(err: unknown, objectDetails?: StatusDetails): StatusObject {
  if (err instanceof HttpError) return statusObject(err.code, err.reason, err.message, err.details);
  if (err instanceof StoreError) {
    const details =
      err.details ?? (NAMES_OBJECT.has(err.reason) ? objectDetails : undefined) ?? undefined;
    return statusObject(err.code, err.reason, err.message, details);
  }
  const message = err instanceof Error ? err.message : String(err);
  return statusObject(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

/** Responses to write indented (see {@link choosePretty}). */
const PRETTY = new WeakSet<ServerResponse>();

/**
 * Whether to indent the JSON of this response, as upstream decides: `?pretty=` as Go's
 * strconv.ParseBool reads it when given, else a `curl`, `Wget` or browser (`Mozilla/5.0`)
 * user agent. Indented bodies end without a newline (json.MarshalIndent).
 *
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/endpoints/handlers/negotiation/negotiate.go (isPrettyPrint)
 */
export function choosePretty(req: IncomingMessage, res: ServerResponse, url: URL): void {
  const pp = url.searchParams.get('pretty');
  const ua = req.headers['user-agent'] ?? '';
  const pretty =
    pp !== null && pp !== ''
      ? ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(pp)
      : ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0');
  if (pretty) PRETTY.add(res);
}

/** `body` as JSON with the trailing newline upstream's encoder writes (or indented). */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = PRETTY.has(res) ? JSON.stringify(body, null, 2) : `${JSON.stringify(body)}\n`;
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function sendStatus(res: ServerResponse, status: StatusObject): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, status.code, status);
}

/**
 * Go's `http.NotFound`, what kube-apiserver answers for paths no handler serves (an unknown
 * API group): plain text, not a Status.
 *
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/server/mux/pathrecorder.go
 */
export function sendPageNotFound(res: ServerResponse): void {
  const text = '404 page not found\n';
  res.writeHead(404, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

const MAX_BODY = 16 * 1024 * 1024;

/** Reads a request body (bounded: 16 MiB, like upstream's default request size limit). */
export async function readBodyBuffer(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) {
      throw new HttpError(
        413,
        'RequestEntityTooLarge',
        'Request entity too large: limit is 16777216',
      );
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBuffer(req)).toString('utf8');
}
