/**
 * The deploy dialog's pure parts: the live preview (common's `deployObjects` — the function the
 * backend applies — as multi-document YAML), when to ask what the deploy deletes, list fields as
 * one item per line, the API's field errors brought back to form keys, the conflicts in words,
 * and the size picker's labels.
 *
 * @see ../../../../common/src/deploy/objects.ts
 */
import { stringify } from 'yaml';
import {
  cpuChoices,
  deployObjects,
  type DeployForm,
  type PodSize,
  type SizePrice,
} from '@nodeless/common';
import type { DeployConflict, FieldErrors } from '@nodeless/backend/api';

/** The objects the form makes, as the YAML `kubectl get -o yaml` would show them. */
export function previewYaml(form: DeployForm): string {
  return deployObjects(form)
    .map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}

/**
 * What decides the deploy's deletions: the namespace and the objects the form produces (kind and
 * name). The plan is asked again only when this changes, not at every keystroke in the image.
 */
export function planKey(form: DeployForm): string {
  const made = deployObjects(form).map((o) => `${o.kind}/${o.metadata.name}`);
  return JSON.stringify([form.namespace, made]);
}

/** A list field as typed: one item per line (`['a', 'b']` ↔ `"a\nb"`). */
export const linesToText = (items: readonly string[]): string => items.join('\n');
export const textToLines = (text: string): string[] => (text === '' ? [] : text.split('\n'));

/** The API names form fields `form.<field>`; the form keys them without the prefix. */
export function formErrors(fieldErrors: FieldErrors): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(fieldErrors)) {
    out[key.startsWith('form.') ? key.slice('form.'.length) : key] = message;
  }
  return out;
}

/** The form keys the dialog shows next to a control; any other error goes in the summary. */
export function placedKeys(form: DeployForm): Set<string> {
  const keys = [
    'name',
    'namespace',
    'image',
    'size',
    'replicas',
    'command',
    'args',
    'expose',
    'probe.path',
    'probe.port',
    'probe.periodSeconds',
    'probe.initialDelaySeconds',
  ];
  form.env.forEach((_, i) =>
    keys.push(...['name', 'value', 'sourceName', 'sourceKey'].map((f) => `env.${i}.${f}`)),
  );
  form.ports.forEach((_, i) =>
    keys.push(...['name', 'containerPort', 'protocol'].map((f) => `ports.${i}.${f}`)),
  );
  return new Set(keys);
}

/** Errors no control shows (a refusal the form has no field for, `form`), for the summary. */
export function unplacedErrors(form: DeployForm, errors: Record<string, string>): string[] {
  const placed = placedKeys(form);
  return Object.entries(errors)
    .filter(([k]) => !placed.has(k))
    .map(([k, m]) => (k === 'form' || k === 'input' ? m : `${k}: ${m}`));
}

/** `kubectl`, or `kubectl through scale` for a manager that wrote through the scale subresource. */
export const managerText = (c: DeployConflict): string =>
  c.subresource ? `${c.manager} through ${c.subresource}` : c.manager;

/** `Replicas are managed by kubectl` — the conflicts by form field, for notes next to fields. */
export function conflictNotes(conflicts: readonly DeployConflict[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of conflicts) {
    const key = c.field ?? 'form';
    const note = `is also set by ${managerText(c)} (${c.kind} ${c.path})`;
    out[key] = out[key] ? `${out[key]}; ${note}` : note;
  }
  return out;
}

/** `0.25 vCPU`, `1 vCPU`. */
export const cpuLabel = (milli: number): string => `${milli / 1000} vCPU`;

/** `512 MiB`, `2 GiB`. */
export function memoryLabel(bytes: number): string {
  const mib = bytes / 2 ** 20;
  return mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}

/** The memory choices of the size's vCPU. */
export function memoryChoices(size: PodSize): readonly number[] {
  return cpuChoices().find((c) => c.cpuMilli === size.cpuMilli)?.memoryBytes ?? [];
}

/** What a size costs per hour, or the sentence saying prices come with metering. */
export function priceText(price: SizePrice, size: PodSize, replicas: string): string {
  const p = price(size);
  if (!p) return 'Price per hour: shown here once metering has prices for this cluster.';
  const n = /^[0-9]+$/.test(replicas) ? Number(replicas) : 1;
  const each = p.microsPerHour / 1e6;
  return `${each.toFixed(4)} ${p.currency} per pod-hour (${(each * n).toFixed(4)} ${p.currency} per hour for ${n})`;
}
