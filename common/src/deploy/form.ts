/**
 * The "Deploy from a form" model (issue "Workloads", point 2): what the form holds, as the user
 * typed it. Numbers stay text here (`replicas: '2'`) so that one validator
 * ({@link validateDeployForm}) gives the same errors in the renderer while typing and in the
 * backend before anything is sent to the cluster, and so the live preview can render while a
 * field is half typed. The size is the exception: it is picked from common's table, never typed,
 * so it is held as integers (millicores, bytes).
 *
 * Field keys (`name`, `env.0.name`, `ports.1.containerPort`, `probe.port`…) are the paths of
 * this object, joined with dots: validation errors, server refusals and SSA conflicts all name
 * fields this way, so the form shows each next to its control.
 *
 * @see ./objects.ts — the one function form → Kubernetes objects
 * @see ./validate.ts — the one validator
 */
import { DEFAULT_POD_SIZE, type PodSize } from '../pod-sizes.ts';

/** Where an environment variable's value comes from. */
export type EnvSource = 'value' | 'secret' | 'configMap';

export interface EnvEntry {
  name: string;
  from: EnvSource;
  /** The plain value (when `from` is `value`). */
  value: string;
  /** The Secret's or ConfigMap's name (when `from` is `secret` or `configMap`). */
  sourceName: string;
  /** The key in that Secret or ConfigMap. */
  sourceKey: string;
}

/** Protocols a container port and a Service port accept. */
export const PORT_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];

export interface PortEntry {
  /** Optional unless several ports are exposed (a Service then needs a name per port). */
  name: string;
  containerPort: string;
  protocol: PortProtocol;
}

/**
 * How the app is reached. No `NodePort`: the serverless layer refuses it (tenants do not see
 * machines or their ports), so the form does not offer it.
 */
export const EXPOSE_CHOICES = ['none', 'ClusterIP', 'LoadBalancer'] as const;
export type ExposeChoice = (typeof EXPOSE_CHOICES)[number];

export const PROBE_KINDS = ['none', 'http', 'tcp'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

export interface ProbeEntry {
  kind: ProbeKind;
  /** HTTP path (starts with `/`), for `http`. */
  path: string;
  /** A port number, or the name of one of the form's ports. */
  port: string;
  periodSeconds: string;
  initialDelaySeconds: string;
}

export interface DeployForm {
  name: string;
  namespace: string;
  /** The namespace is new: a Namespace object is applied first. */
  createNamespace: boolean;
  image: string;
  /** One of common's pod sizes (requests = limits = this). */
  size: PodSize;
  replicas: string;
  /** The container's command (its entrypoint), one item per entry; empty = the image's. */
  command: string[];
  /** The container's arguments, one item per entry; empty = the image's. */
  args: string[];
  env: EnvEntry[];
  ports: PortEntry[];
  expose: ExposeChoice;
  probe: ProbeEntry;
}

export const EMPTY_ENV_ENTRY: EnvEntry = {
  name: '',
  from: 'value',
  value: '',
  sourceName: '',
  sourceKey: '',
};

export const EMPTY_PORT_ENTRY: PortEntry = { name: '', containerPort: '', protocol: 'TCP' };

/** The form as it opens: one replica of the smallest size, nothing exposed, no probe. */
export function emptyDeployForm(namespace = 'default'): DeployForm {
  return {
    name: '',
    namespace,
    createNamespace: false,
    image: '',
    size: DEFAULT_POD_SIZE,
    replicas: '1',
    command: [],
    args: [],
    env: [],
    ports: [],
    expose: 'none',
    probe: { kind: 'none', path: '/', port: '', periodSeconds: '10', initialDelaySeconds: '0' },
  };
}

/** Field errors keyed by form field (`name`, `env.0.name`); the message reads after the label. */
export type DeployFieldErrors = Record<string, string>;
