/**
 * Request body decoding (JSON, or YAML for apply patches and `application/yaml`) and patch
 * application by content type.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#patch-and-apply
 */
import jsonpatch, { type Operation } from 'fast-json-patch';
import YAML from 'yaml';
import { mergePatch, strategicMerge, type Json } from '../patch/strategic.ts';
import { decodeKubeProtobuf } from './protobuf.ts';
import { HttpError, readBodyBuffer } from './status.ts';
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../store/types.ts';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType {
  const ct = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  switch (ct) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      throw new HttpError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
  }
}

/** Reads and decodes a body; malformed input is a 400 BadRequest Status, never a crash. */
export async function readDocument(req: IncomingMessage): Promise<unknown> {
  const body = await readBodyBuffer(req);
  const ct = (req.headers['content-type'] ?? '').toLowerCase();
  if (ct.includes('protobuf')) {
    return decodeKubeProtobuf(body);
  }
  if (ct.includes('cbor')) {
    throw new HttpError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unsupported format (${ct}): kube-sim accepts JSON, YAML and protobuf`,
    );
  }
  const text = body.toString('utf8');
  try {
    if (ct.includes('yaml')) return YAML.parse(text) as unknown;
    return JSON.parse(text) as unknown;
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new HttpError(400, 'BadRequest', `error decoding body: ${msg ?? ''}`);
  }
}

export async function readObject(req: IncomingMessage): Promise<KubeObject> {
  const doc = await readDocument(req);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new HttpError(
      400,
      'BadRequest',
      "Object 'Kind' is missing in request body: expected a JSON object",
    );
  }
  const o = doc as KubeObject;
  if (o.metadata === undefined || o.metadata === null) o.metadata = {};
  if (typeof o.metadata !== 'object' || Array.isArray(o.metadata))
    throw new HttpError(400, 'BadRequest', 'metadata must be an object');
  return o;
}

/** Applies a JSON, merge or strategic patch document to `current`. */
export function applyPatch(
  type: Exclude<PatchType, 'apply'>,
  current: KubeObject,
  patch: unknown,
): KubeObject {
  const base = structuredClone(current) as unknown as Json;
  switch (type) {
    case 'json': {
      if (!Array.isArray(patch))
        throw new HttpError(
          400,
          'BadRequest',
          'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
        );
      try {
        return jsonpatch.applyPatch(base, patch as Operation[], true, true)
          .newDocument as unknown as KubeObject;
      } catch {
        // Upstream answers every failed operation (test, missing path, unknown op) alike.
        // @see https://github.com/kubernetes/apiserver/blob/master/pkg/endpoints/handlers/patch.go (interpretJSONPatchError)
        throw new HttpError(
          422,
          'Invalid',
          'the server rejected our request due to an error in our request',
          {},
        );
      }
    }
    case 'merge':
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
        throw new HttpError(400, 'BadRequest', 'merge patch must be a JSON object');
      return mergePatch(base, patch as Json) as unknown as KubeObject;
    case 'strategic':
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
        throw new HttpError(400, 'BadRequest', 'strategic merge patch must be a JSON object');
      return strategicMerge(base, patch as Json) as unknown as KubeObject;
  }
}
