/**
 * Decodes the Kubernetes protobuf wire format (`application/vnd.kubernetes.protobuf`) that typed
 * client-go clients — and therefore `kubectl create …`, `kubectl run`, `kubectl create token` and
 * `kubectl auth can-i` — send as request bodies. The envelope is the 4-byte magic `k8s\0` and a
 * `runtime.Unknown` (typeMeta = 1, raw = 2); the raw message is decoded with the field tables in
 * `protobuf-schemas.ts` into the same JSON shape the API would have received. Unknown fields are
 * skipped; kinds without a table are refused with 415 so clients see a clear error.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#protobuf-encoding
 * @see https://protobuf.dev/programming-guides/encoding/
 */
import { HttpError } from './status.ts';
import { KINDS, MESSAGES, POINTER_FIELDS, type FieldSpec } from './protobuf-schemas.ts';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

interface RawField {
  no: number;
  wire: number;
  /** Varint value (wire 0) or the bytes (wire 2). */
  int?: bigint;
  bytes?: Uint8Array;
}

function readVarint(buf: Uint8Array, pos: { i: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (let n = 0; n < 10; n++) {
    const b = buf[pos.i++];
    if (b === undefined) throw new Error('truncated varint');
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
    shift += 7n;
  }
  throw new Error('varint too long');
}

/** Splits a message into its raw fields (wire types 0, 1, 2, 5). */
export function rawFields(buf: Uint8Array): RawField[] {
  const out: RawField[] = [];
  const pos = { i: 0 };
  while (pos.i < buf.length) {
    const key = Number(readVarint(buf, pos));
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, int: readVarint(buf, pos) });
    else if (wire === 2) {
      const len = Number(readVarint(buf, pos));
      if (pos.i + len > buf.length) throw new Error('truncated length-delimited field');
      out.push({ no, wire, bytes: buf.subarray(pos.i, pos.i + len) });
      pos.i += len;
    } else if (wire === 1) pos.i += 8;
    else if (wire === 5) pos.i += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const utf8 = new TextDecoder();

function scalar(spec: FieldSpec, f: RawField): unknown {
  switch (spec.type) {
    case 'string':
      return utf8.decode(f.bytes ?? new Uint8Array());
    case 'bytes':
      return Buffer.from(f.bytes ?? new Uint8Array()).toString('base64');
    case 'int': {
      const v = f.int ?? 0n;
      // int32 negatives are sign-extended to 64 bits.
      return Number(BigInt.asIntN(64, v));
    }
    case 'bool':
      return (f.int ?? 0n) !== 0n;
    case 'time': {
      const t = decodeMessage('Time', f.bytes ?? new Uint8Array()) as { seconds?: number };
      return new Date((t.seconds ?? 0) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    }
    case 'quantity':
      return (
        (decodeMessage('Quantity', f.bytes ?? new Uint8Array()) as { string?: string }).string ??
        '0'
      );
    case 'intorstr': {
      const v = decodeMessage('IntOrString', f.bytes ?? new Uint8Array()) as {
        type?: number;
        intVal?: number;
        strVal?: string;
      };
      return v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
    }
    default:
      return decodeMessage(spec.type, f.bytes ?? new Uint8Array());
  }
}

/** Decodes one message by its table name into JSON. */
export function decodeMessage(name: string, buf: Uint8Array): Record<string, unknown> {
  const table = MESSAGES[name];
  if (table === undefined) throw new Error(`no protobuf table for ${name}`);
  const out: Record<string, unknown> = {};
  for (const f of rawFields(buf)) {
    const spec = table[f.no];
    if (spec === undefined) continue;
    if (spec.map !== undefined) {
      const entry = rawFields(f.bytes ?? new Uint8Array());
      const k = entry.find((e) => e.no === 1);
      const v = entry.find((e) => e.no === 2);
      const m = (out[spec.name] ?? {}) as Record<string, unknown>;
      m[k === undefined ? '' : utf8.decode(k.bytes ?? new Uint8Array())] =
        v === undefined ? '' : scalar({ name: '', type: spec.map }, v);
      out[spec.name] = m;
    } else if (spec.repeated === true) {
      const list = (out[spec.name] ?? []) as unknown[];
      list.push(scalar(spec, f));
      out[spec.name] = list;
    } else {
      const v = scalar(spec, f);
      // gogo-protobuf writes non-pointer fields even when empty; JSON would have omitted them.
      if (v === '' || ((v === 0 || v === false) && !POINTER_FIELDS.has(spec.name))) continue;
      out[spec.name] = v;
    }
  }
  return out;
}

/** True for bodies in the Kubernetes protobuf envelope. */
export function isKubeProtobuf(body: Buffer): boolean {
  return MAGIC.every((b, i) => body[i] === b);
}

/** Decodes a `k8s\0` + runtime.Unknown body into a JSON object with apiVersion and kind. */
export function decodeKubeProtobuf(body: Buffer): Record<string, unknown> {
  if (!isKubeProtobuf(body))
    throw new HttpError(400, 'BadRequest', 'protobuf body lacks the k8s envelope');
  try {
    const unknown = rawFields(body.subarray(4));
    const typeMeta = rawFields(unknown.find((f) => f.no === 1)?.bytes ?? new Uint8Array());
    const apiVersion = utf8.decode(typeMeta.find((f) => f.no === 1)?.bytes ?? new Uint8Array());
    const kind = utf8.decode(typeMeta.find((f) => f.no === 2)?.bytes ?? new Uint8Array());
    const message = KINDS[kind];
    if (message === undefined) {
      throw new HttpError(
        415,
        'UnsupportedMediaType',
        `kube-sim cannot decode protobuf for kind ${kind}; send JSON instead`,
      );
    }
    const raw = unknown.find((f) => f.no === 2)?.bytes ?? new Uint8Array();
    return { apiVersion, kind, ...decodeMessage(message, raw) };
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(
      400,
      'BadRequest',
      `error decoding protobuf body: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
