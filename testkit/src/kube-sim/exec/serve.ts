/**
 * kube-sim's `pods/exec` over WebSocket (the only upgrade it serves): authenticate, authorize as
 * upstream ≥ 1.35 does for a WebSocket exec — `get` on `pods/exec` (the GET handshake) *and*
 * `create` (AuthorizePodWebsocketUpgradeCreatePermission) — find the pod and container, then
 * accept `v5.channel.k8s.io` or `v4.channel.k8s.io` and run the session. Refusals are `Status`
 * responses before the upgrade, as the API server's; other upgrades (SPDY) get a 400 so
 * kubectl's SPDY fallback fails with words too.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb
 * @see https://github.com/kubernetes/kubernetes/pull/130162 (create on pods/exec for WebSocket)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/pod/strategy.go (ExecLocation errors)
 */
import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { EXEC_SUBPROTOCOLS } from '@nodeless/common';
import { forbiddenMessage, type Attributes } from '../auth/rbac.ts';
import type { ApiContext } from '../server/context.ts';
import { statusObject, type StatusObject } from '../server/status.ts';
import { kernelSeenBy } from '../sim/commands.ts';
import { runExecSession, type ExecRequest } from './session.ts';
import type { ShellFacts } from './shell.ts';

const EXEC_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/;

export interface ExecServerOptions {
  /** Subprotocols offered, best first (tests drop v5 to exercise a client's fallback). */
  subprotocols?: readonly string[];
}

export interface ExecServer {
  /** Open exec WebSockets (tests count them before and after a client goes). */
  open(): number;
  close(): void;
}

interface PodShape {
  metadata: { name?: string };
  spec?: {
    hostname?: string;
    nodeName?: string;
    runtimeClassName?: string;
    containers?: { name: string; env?: { name: string; value?: string }[] }[];
  };
  status?: { phase?: string };
}

/** Serves exec upgrades on `server`. */
export function attachExec(
  server: Server,
  ctx: ApiContext,
  options: ExecServerOptions = {},
): ExecServer {
  const offered = options.subprotocols ?? EXEC_SUBPROTOCOLS;
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => offered.find((p) => protocols.has(p)) ?? false,
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const accepted = admit(ctx, req);
    if ('status' in accepted) return refuse(socket, accepted.status);
    const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!protocols.some((p) => offered.includes(p))) {
      return refuse(
        socket,
        statusObject(
          400,
          'BadRequest',
          `requested protocol(s) are not supported: [${protocols.join(' ')}]; supports [${offered.join(' ')}]`,
        ),
      );
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) =>
      runExecSession(ws, accepted.request, accepted.facts),
    );
  });
  return {
    open: () => wss.clients.size,
    close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}

type Admission = { request: ExecRequest; facts: ShellFacts } | { status: StatusObject };

function admit(ctx: ApiContext, req: IncomingMessage): Admission {
  const url = new URL(req.url ?? '/', 'https://kube-sim');
  const m = EXEC_PATH.exec(url.pathname);
  const user = ctx.authn.authenticate(req);
  if (user === undefined) return { status: statusObject(401, 'Unauthorized', 'Unauthorized') };
  if (m === null) {
    return {
      status: statusObject(400, 'BadRequest', `kube-sim serves no upgrade at ${url.pathname}`),
    };
  }
  const [, namespace = '', name = ''] = m;
  for (const verb of ['get', 'create']) {
    const attrs: Attributes = {
      verb,
      apiGroup: '',
      resource: 'pods',
      subresource: 'exec',
      name,
      namespace,
    };
    if (!ctx.authz.allowed(user, attrs)) {
      return {
        status: statusObject(403, 'Forbidden', forbiddenMessage(user, attrs), {
          name,
          kind: 'pods',
        }),
      };
    }
  }
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    return {
      status: statusObject(400, 'BadRequest', 'kube-sim serves pods/exec over WebSocket only'),
    };
  }
  const raw = ctx.store.getRaw({ group: '', version: 'v1', resource: 'pods' }, namespace, name);
  if (raw === undefined) {
    return {
      status: statusObject(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }),
    };
  }
  const pod = raw as unknown as PodShape;
  const containers = pod.spec?.containers ?? [];
  const wanted = url.searchParams.get('container');
  const container =
    wanted === null
      ? containers.length === 1
        ? containers[0]
        : undefined
      : containers.find((c) => c.name === wanted);
  if (container === undefined) {
    const message =
      wanted === null
        ? `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`
        : `container ${wanted} is not valid for pod ${name}`;
    return { status: statusObject(400, 'BadRequest', message) };
  }
  const phase = pod.status?.phase ?? 'Pending';
  if (phase === 'Succeeded' || phase === 'Failed') {
    return {
      status: statusObject(
        400,
        'BadRequest',
        `cannot exec into a container in a completed pod; current phase is ${phase}`,
      ),
    };
  }
  if (phase !== 'Running') {
    return {
      status: statusObject(
        400,
        'BadRequest',
        `unable to upgrade connection: container not found ("${container.name}")`,
      ),
    };
  }
  const flag = (k: string): boolean => ['true', '1'].includes(url.searchParams.get(k) ?? '');
  const request: ExecRequest = {
    command: url.searchParams.getAll('command'),
    stdin: flag('stdin'),
    stdout: flag('stdout'),
    stderr: flag('stderr'),
    tty: flag('tty'),
  };
  if (request.command.length === 0) {
    return { status: statusObject(400, 'BadRequest', 'you must specify at least 1 command') };
  }
  return { request, facts: factsOf(ctx, pod, container) };
}

/** What the shell tells about the pod: as the kubelet would set up its container. */
function factsOf(
  ctx: ApiContext,
  pod: PodShape,
  container: { env?: { name: string; value?: string }[] },
): ShellFacts {
  const hostname = pod.spec?.hostname ?? pod.metadata.name ?? '';
  const node = ctx.store.getRaw(
    { group: '', version: 'v1', resource: 'nodes' },
    undefined,
    pod.spec?.nodeName ?? '',
  );
  const nodeKernel = String(
    (node?.['status'] as { nodeInfo?: { kernelVersion?: string } } | undefined)?.nodeInfo
      ?.kernelVersion ?? '',
  );
  const rcName = pod.spec?.runtimeClassName;
  const rc =
    rcName === undefined
      ? undefined
      : ctx.store.getRaw(
          { group: 'node.k8s.io', version: 'v1', resource: 'runtimeclasses' },
          undefined,
          rcName,
        );
  const handler = rc?.['handler'];
  const svc = ctx.store.getRaw(
    { group: '', version: 'v1', resource: 'services' },
    'default',
    'kubernetes',
  );
  const svcIp = String(
    (svc?.['spec'] as { clusterIP?: string } | undefined)?.clusterIP ?? '10.43.0.1',
  );
  const env: [string, string][] = [
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOSTNAME', hostname],
    ...(container.env ?? []).flatMap((e): [string, string][] =>
      e.value === undefined ? [] : [[e.name, e.value]],
    ),
    ['KUBERNETES_SERVICE_HOST', svcIp],
    ['KUBERNETES_SERVICE_PORT', '443'],
    ['KUBERNETES_PORT', `tcp://${svcIp}:443`],
    ['HOME', '/root'],
  ];
  return {
    hostname,
    kernel: kernelSeenBy(typeof handler === 'string' ? handler : undefined, nodeKernel),
    env,
    tty: false,
  };
}

/** Answers a refused upgrade with the Status as JSON, as the API server does. */
function refuse(socket: Duplex, status: StatusObject): void {
  const body = `${JSON.stringify(status)}\n`;
  const text =
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status.code] ??
    'Error';
  socket.end(
    `HTTP/1.1 ${status.code} ${text}\r\nContent-Type: application/json\r\nCache-Control: no-cache, private\r\n` +
      `Connection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
