/**
 * The form's field rules, in one place: the renderer runs them while the user types, the backend
 * runs them again before anything reaches the cluster (a 400 with the same messages). Each rule
 * is the API server's own where one exists, so what passes here is not refused for its syntax:
 * names are DNS-1123 labels (a Service's name also starts with a letter, DNS-1035), port names
 * IANA service names, Secret/ConfigMap names DNS-1123 subdomains and their keys config keys,
 * ports 1–65535. Environment variable names are C identifiers (`[A-Za-z_][A-Za-z0-9_]*`): what
 * every shell and program can read, stricter than what newer API servers accept.
 *
 * Messages read after the field's label ("Name must be…"); see renderer's `fieldMessage`.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/validation/validation.go
 */
import type { DeployFieldErrors, DeployForm, EnvEntry, PortEntry } from './form.ts';
import { isTableSize } from './size-choice.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const WHOLE = /^[0-9]+$/;

/** Replicas a form may ask for: far past one app, short of a typo's 1e9. */
export const MAX_REPLICAS = 10_000;
/** Probe timings: at most an hour. */
export const MAX_PROBE_SECONDS = 3600;

/** A DNS-1123 label's problem, or undefined. */
export function labelProblem(value: string): string | undefined {
  if (value === '') return 'is required';
  if (value.length > 63) return 'must be at most 63 characters';
  if (!DNS1123_LABEL.test(value))
    return "must be lower-case letters, digits and '-', starting and ending with a letter or digit";
  return undefined;
}

function subdomainProblem(value: string): string | undefined {
  if (value === '') return 'is required';
  if (value.length > 253) return 'must be at most 253 characters';
  if (!DNS1123_SUBDOMAIN.test(value))
    return "must be lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";
  return undefined;
}

/** An IANA service name (a port's name): ≤ 15 characters, a letter somewhere, no `--`. */
function portNameProblem(value: string): string | undefined {
  if (value.length > 15) return 'must be at most 15 characters';
  if (!IANA_SVC_NAME.test(value))
    return "must be lower-case letters, digits and '-', starting and ending with a letter or digit";
  if (value.includes('--')) return "must not contain '--'";
  if (!/[a-z]/.test(value)) return 'must contain at least one letter';
  return undefined;
}

/** A whole number in `min..max`, or the problem. */
export function wholeProblem(value: string, min: number, max: number): string | undefined {
  const v = value.trim();
  if (v === '') return 'is required';
  if (!WHOLE.test(v)) return 'must be a whole number';
  const n = Number(v);
  if (n < min || n > max) return `must be between ${min} and ${max}`;
  return undefined;
}

const portProblem = (value: string) => wholeProblem(value, 1, 65535);

function envErrors(env: readonly EnvEntry[], out: DeployFieldErrors): void {
  const seen = new Set<string>();
  env.forEach((e, i) => {
    const at = `env.${i}`;
    if (e.name === '') out[`${at}.name`] = 'is required';
    else if (!C_IDENTIFIER.test(e.name))
      out[`${at}.name`] = 'must be letters, digits and _, not starting with a digit';
    else if (seen.has(e.name)) out[`${at}.name`] = `is already set above (${e.name})`;
    seen.add(e.name);
    if (e.from === 'value') return;
    const p = subdomainProblem(e.sourceName);
    if (p) out[`${at}.sourceName`] = p;
    if (e.sourceKey === '') out[`${at}.sourceKey`] = 'is required';
    else if (e.sourceKey.length > 253 || !CONFIG_KEY.test(e.sourceKey))
      out[`${at}.sourceKey`] = "must be letters, digits, '-', '_' and '.'";
    else if (e.sourceKey === '.' || e.sourceKey === '..')
      out[`${at}.sourceKey`] = "must not be '.' or '..'";
  });
}

function portErrors(form: DeployForm, out: DeployFieldErrors): void {
  const names = new Set<string>();
  const numbers = new Set<string>();
  const exposed = form.expose !== 'none';
  form.ports.forEach((p: PortEntry, i) => {
    const at = `ports.${i}`;
    if (p.name !== '') {
      const np = portNameProblem(p.name);
      if (np) out[`${at}.name`] = np;
      else if (names.has(p.name)) out[`${at}.name`] = `is already used by another port`;
      names.add(p.name);
    } else if (exposed && form.ports.length > 1) {
      out[`${at}.name`] = 'is required when several ports are exposed';
    }
    const pp = portProblem(p.containerPort);
    if (pp) out[`${at}.containerPort`] = pp;
    else {
      const key = `${Number(p.containerPort)}/${p.protocol}`;
      if (numbers.has(key)) out[`${at}.containerPort`] = `is already listed (${key})`;
      numbers.add(key);
    }
  });
  if (exposed && form.ports.length === 0)
    out['expose'] = 'needs at least one port: add the port the app listens on';
}

function probeErrors(form: DeployForm, out: DeployFieldErrors): void {
  const { probe } = form;
  if (probe.kind === 'none') return;
  if (probe.kind === 'http') {
    if (!probe.path.startsWith('/')) out['probe.path'] = "must start with '/'";
    else if (/\s/.test(probe.path)) out['probe.path'] = 'must not contain spaces';
  }
  const port = probe.port.trim();
  if (port === '') out['probe.port'] = 'is required';
  else if (WHOLE.test(port)) {
    const pp = portProblem(port);
    if (pp) out['probe.port'] = pp;
  } else if (!form.ports.some((p) => p.name === port)) {
    out['probe.port'] = 'must be a port number or the name of one of the ports above';
  }
  const period = wholeProblem(probe.periodSeconds, 1, MAX_PROBE_SECONDS);
  if (period) out['probe.periodSeconds'] = period;
  const delay = wholeProblem(probe.initialDelaySeconds, 0, MAX_PROBE_SECONDS);
  if (delay) out['probe.initialDelaySeconds'] = delay;
}

/** Every problem of the form, keyed by field; `{}` when it can be deployed. */
export function validateDeployForm(form: DeployForm): DeployFieldErrors {
  const out: DeployFieldErrors = {};
  const name = labelProblem(form.name);
  if (name) out['name'] = name;
  else if (form.expose !== 'none' && !/^[a-z]/.test(form.name))
    out['name'] = 'must start with a letter when the app is exposed as a Service';
  const ns = labelProblem(form.namespace);
  if (ns) out['namespace'] = ns;
  const image = form.image.trim();
  if (image === '') out['image'] = 'is required';
  else if (/\s/.test(form.image)) out['image'] = 'must not contain spaces';
  if (!isTableSize(form.size)) out['size'] = 'must be one of the pod sizes';
  const replicas = wholeProblem(form.replicas, 0, MAX_REPLICAS);
  if (replicas) out['replicas'] = replicas;
  envErrors(form.env, out);
  portErrors(form, out);
  probeErrors(form, out);
  return out;
}
