/**
 * The Tenants section's rules, kept out of the views so they are tested alone: the Add tenant
 * form turned into `tenants.add` input (a quota from common's size table or whole vCPU / GiB,
 * pods), the export expiry choices, and how a tenant's quota and use read. Field errors use
 * the API's keys (`namespace`, `quota.cpuMilli`, `quota.memoryBytes`, `pods`) so the
 * backend's and these land next to the same field.
 */
import { describeSize, GIB, POD_SIZES, podSizeByLabel, podSizeLabel } from '@nodeless/common';
import type {
  FieldErrors,
  TenantCredentialRow,
  TenantRow,
  TenantsAddInput,
  TenantsRemoveInput,
} from '@nodeless/backend/api';
import { formatCpu, formatMemory, plural } from '../workspace/format.ts';

/** `none`, `custom`, or a size label from the table (`16x32`). */
export type QuotaChoice = string;
export const NO_QUOTA = 'none';
export const CUSTOM_QUOTA = 'custom';

export interface AddTenantForm {
  namespace: string;
  /** Further namespaces, separated by spaces or commas; empty for none. */
  extraNamespaces: string;
  quota: QuotaChoice;
  /** Whole vCPU and GiB, for a custom quota. */
  vcpu: string;
  gib: string;
  /** Empty for no pod limit. */
  pods: string;
}

export const EMPTY_ADD_FORM: AddTenantForm = {
  namespace: '',
  extraNamespaces: '',
  quota: NO_QUOTA,
  vcpu: '',
  gib: '',
  pods: '',
};

/** The size picker's options: no quota, each size of the table, whole vCPU / GiB. */
export function quotaOptions(): { value: QuotaChoice; label: string }[] {
  return [
    { value: NO_QUOTA, label: 'No cpu/memory limit' },
    ...POD_SIZES.map((s) => ({ value: podSizeLabel(s), label: describeSize(s) })),
    { value: CUSTOM_QUOTA, label: 'Other (whole vCPU and GiB)…' },
  ];
}

function wholeNumber(text: string): number | undefined {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : undefined;
}

export type AddTenantParse =
  { ok: true; input: TenantsAddInput } | { ok: false; fieldErrors: FieldErrors };

/** The form as `tenants.add` input, or the fields to fix (the backend checks names itself). */
export function addTenantInput(clusterId: string, form: AddTenantForm): AddTenantParse {
  const fieldErrors: FieldErrors = {};
  const namespace = form.namespace.trim();
  if (namespace === '') fieldErrors['namespace'] = 'is required';
  const extraNamespaces = namesOf(form.extraNamespaces).filter((n) => n !== namespace);
  let quota: TenantsAddInput['quota'];
  if (form.quota === CUSTOM_QUOTA) {
    const vcpu = wholeNumber(form.vcpu);
    const gib = wholeNumber(form.gib);
    if (vcpu === undefined || vcpu === 0) {
      fieldErrors['quota.cpuMilli'] = 'must be a whole number of vCPU, at least 1';
    }
    if (gib === undefined || gib === 0) {
      fieldErrors['quota.memoryBytes'] = 'must be a whole number of GiB, at least 1';
    }
    if (vcpu && gib) quota = { cpuMilli: vcpu * 1000, memoryBytes: gib * GIB };
  } else if (form.quota !== NO_QUOTA) {
    const size = podSizeByLabel(form.quota);
    if (size) quota = { cpuMilli: size.cpuMilli, memoryBytes: size.memoryBytes };
    else fieldErrors['quota'] = 'is not a size of the table';
  }
  let pods: number | undefined;
  if (form.pods.trim() !== '') {
    pods = wholeNumber(form.pods);
    if (pods === undefined || pods === 0)
      fieldErrors['pods'] = 'must be a whole number, at least 1';
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return {
    ok: true,
    input: {
      clusterId,
      namespace,
      ...(extraNamespaces.length ? { extraNamespaces } : {}),
      ...(quota ? { quota } : {}),
      ...(pods === undefined ? {} : { pods }),
    },
  };
}

/** Names typed separated by spaces or commas, without repeats. */
export function namesOf(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((n) => n !== ''))];
}

/**
 * The error of a list field (`extraNamespaces`), wherever the backend put it: on the list or
 * on one of its items (`extraNamespaces.1`).
 */
export function listFieldError(errors: FieldErrors, field: string): string | undefined {
  const key = Object.keys(errors).find((k) => k === field || k.startsWith(`${field}.`));
  return key === undefined ? undefined : errors[key];
}

/** How long an exported kubeconfig works (the token's or the certificate's expiry), in seconds. */
export const EXPIRY_CHOICES = [
  { value: '1h', label: '1 hour', seconds: 3600 },
  { value: '24h', label: '24 hours', seconds: 24 * 3600 },
  { value: '7d', label: '7 days', seconds: 7 * 24 * 3600 },
  { value: '30d', label: '30 days', seconds: 30 * 24 * 3600 },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];
export const DEFAULT_EXPIRY: ExpiryChoice = '24h';

export function expirySeconds(choice: ExpiryChoice): number {
  return EXPIRY_CHOICES.find((c) => c.value === choice)?.seconds ?? 24 * 3600;
}

export const CREDENTIAL_CHOICES = [
  { value: 'token', label: 'Token' },
  { value: 'certificate', label: 'Client certificate' },
] as const;
export type CredentialChoice = (typeof CREDENTIAL_CHOICES)[number]['value'];

/**
 * Where an export goes by default: its own file under ~/.kube, named for cluster, tenant and
 * member (the default member adds nothing, as before members).
 */
export function defaultExportPath(clusterName: string, namespace: string, member = ''): string {
  const safe = clusterName.replace(/[^\w.-]+/g, '-');
  const who = member.trim() === '' || member.trim() === 'default' ? '' : `-${member.trim()}`;
  return `~/.kube/${safe}-${namespace}${who}.yaml`;
}

/** `certificate until 1/2/2030, 10:00:00` (the date in the viewer's locale). */
export function credentialText(c: TenantCredentialRow, locale?: string): string {
  const kind = c.credential === 'certificate' ? 'certificate' : 'token';
  return `${kind} until ${new Date(c.expiresAt).toLocaleString(locale)}`;
}

/** The members with kubeconfigs that still work, each once, in the order they were first given one. */
export function membersOf(row: TenantRow): string[] {
  return [...new Set(row.credentials.map((c) => c.member))];
}

export interface RemoveTenantForm {
  /** The tenant's name, typed to confirm. */
  confirm: string;
  /** Namespaces to delete too, typed by name; empty to keep them all. */
  deleteNamespaces: string;
}

export type RemoveTenantParse =
  { ok: true; input: TenantsRemoveInput } | { ok: false; fieldErrors: FieldErrors };

/** The Remove dialog as `tenants.remove` input, or what to fix. */
export function removeTenantInput(
  clusterId: string,
  row: TenantRow,
  form: RemoveTenantForm,
): RemoveTenantParse {
  const fieldErrors: FieldErrors = {};
  if (form.confirm.trim() !== row.namespace) {
    fieldErrors['confirm'] = `must be the tenant's name, ${row.namespace}`;
  }
  const doomed = namesOf(form.deleteNamespaces);
  const foreign = doomed.filter((n) => !row.namespaces.includes(n));
  if (foreign.length) {
    fieldErrors['deleteNamespaces'] =
      `${foreign.join(', ')} ${foreign.length === 1 ? 'is' : 'are'} not among the tenant's namespaces (${row.namespaces.join(', ')})`;
  }
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  return {
    ok: true,
    input: {
      clusterId,
      namespace: row.namespace,
      ...(doomed.length ? { deleteNamespaces: doomed } : {}),
    },
  };
}

/** `16 vCPU / 32 GiB`, or `No limit`. */
export function quotaText(row: TenantRow): string {
  return row.quota ? describeSize(row.quota) : 'No limit';
}

/** `50`, or `No limit`. */
export function podsText(row: TenantRow): string {
  return row.pods === undefined ? 'No limit' : String(row.pods);
}

/**
 * `1.5 vCPU / 3 GiB, 3 pods`, `0.5 vCPU / 642 MiB, 1 pod`: pods' sizes plus the sandbox's
 * overhead (charged to the quota), so not a size of the table — rounded for reading. Without a
 * quota the cluster does not count use: `—`.
 */
export function usageText(row: TenantRow): string {
  if (!row.used) return '—';
  const { cpuMilli, memoryBytes, pods } = row.used;
  return `${formatCpu(cpuMilli)} / ${formatMemory(memoryBytes)}, ${plural(pods, 'pod')}`;
}
