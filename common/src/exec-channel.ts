/**
 * The Kubernetes remote-command channel protocol over WebSocket (`pods/exec`, `pods/attach`),
 * shared by kube-sim's server side and the backend's client side so both speak one framing.
 *
 * Every binary WebSocket message is one byte of stream id followed by that stream's bytes:
 * 0 stdin, 1 stdout, 2 stderr, 3 error (the final `metav1.Status` as JSON), 4 resize
 * (`{"Width":w,"Height":h}`). `v5.channel.k8s.io` adds a CLOSE signal: the message `[255, id]`
 * half-closes stream `id` (kubectl sends it when its stdin ends). The exit code of a failed
 * command travels in the status's `details.causes` as `{reason: "ExitCode", message: "3"}`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/apimachinery/pkg/util/remotecommand/constants.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/client-go/tools/remotecommand/websocket.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/apiserver/pkg/util/wsstream/conn.go
 * @see https://github.com/kubernetes-client/javascript/blob/main/src/web-socket-handler.ts
 * @see https://kubernetes.io/blog/2024/08/20/websockets-transition/
 */

/** Subprotocols in our order of preference (upstream's server preference too). */
export const EXEC_SUBPROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
export type ExecSubprotocol = (typeof EXEC_SUBPROTOCOLS)[number];

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const STATUS = 3;
export const RESIZE = 4;
/** v5 only: `[CLOSE, streamId]` half-closes a stream. */
export const CLOSE = 255;

/** One decoded channel message. */
export type ExecFrame =
  { kind: 'data'; stream: number; data: Uint8Array } | { kind: 'close'; stream: number };

/** Prefixes `data` with its stream id. */
export function encodeFrame(stream: number, data: Uint8Array | string): Uint8Array {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const out = new Uint8Array(bytes.length + 1);
  out[0] = stream;
  out.set(bytes, 1);
  return out;
}

/** The v5 message that half-closes `stream`. */
export function encodeClose(stream: number): Uint8Array {
  return Uint8Array.of(CLOSE, stream);
}

/** The resize message for a terminal of `cols` × `rows` (upstream's TerminalSize JSON). */
export function encodeResize(cols: number, rows: number): Uint8Array {
  return encodeFrame(RESIZE, JSON.stringify({ Width: cols, Height: rows }));
}

/** Decodes one message; undefined for an empty message (upstream ignores those). */
export function decodeFrame(message: Uint8Array): ExecFrame | undefined {
  if (message.length === 0) return undefined;
  const stream = message[0] ?? 0;
  if (stream === CLOSE) {
    return message.length >= 2 ? { kind: 'close', stream: message[1] ?? 0 } : undefined;
  }
  return { kind: 'data', stream, data: message.subarray(1) };
}

/** `{Width, Height}` of a resize message, or undefined when it is not one. */
export function parseResize(data: Uint8Array): { cols: number; rows: number } | undefined {
  try {
    const v = JSON.parse(new TextDecoder().decode(data)) as { Width?: unknown; Height?: unknown };
    if (!Number.isInteger(v.Width) || !Number.isInteger(v.Height)) return undefined;
    return { cols: v.Width as number, rows: v.Height as number };
  } catch {
    return undefined;
  }
}

/** The subset of `metav1.Status` the error stream carries. */
export interface ExecStatus {
  kind?: string;
  apiVersion?: string;
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

/**
 * The status a finished command writes on stream 3, as the kubelet does: `Success`, or a
 * `NonZeroExitCode` failure whose cause carries the code.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/cri/streaming/remotecommand/websocket.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/cri/streaming/remotecommand/httpstream.go (v4WriteStatusFunc)
 */
export function exitStatus(command: readonly string[], exitCode: number): ExecStatus {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** What a status on stream 3 means: an exit code, or an error in words. */
export type ExecOutcome = { exitCode: number } | { error: string };

/** Reads the status stream's JSON as client-go does (`errorDecoderV4`). */
export function parseExitStatus(data: Uint8Array): ExecOutcome {
  let status: ExecStatus;
  try {
    status = JSON.parse(new TextDecoder().decode(data)) as ExecStatus;
  } catch {
    return { error: `unreadable status from the API server: ${new TextDecoder().decode(data)}` };
  }
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number.parseInt(cause?.message ?? '', 10);
    if (Number.isInteger(code)) return { exitCode: code };
  }
  return { error: status.message ?? 'the command failed' };
}
