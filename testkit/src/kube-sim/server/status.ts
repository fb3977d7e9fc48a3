/**
 * `Status` responses and small HTTP helpers shared by the handlers.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/apis/meta/v1/types.go (Status, StatusReason)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StoreError } from '../store/types.ts';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: unknown[];
}

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
    reason,
    ...(details === undefined ? {} : { details }),
    code,
  };
}

/** An error that renders as a Status (store errors plus the HTTP-only reasons). */
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

export function toStatus(err: unknown, details?: StatusDetails): StatusObject {
  if (err instanceof HttpError)
    return statusObject(err.code, err.reason, err.message, err.details ?? details);
  if (err instanceof StoreError) {
    const causes = (err as StoreError & { causes?: unknown[] }).causes;
    return statusObject(
      err.code,
      err.reason,
      err.message,
      causes === undefined ? details : { ...details, causes },
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return statusObject(500, 'InternalError', `Internal error occurred: ${message}`);
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
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
