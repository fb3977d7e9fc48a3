/**
 * The prices form, pure: its fields as the user types them (text — prices are exact decimals,
 * never floats), filled from the settings in effect, checked field by field with messages that
 * name the field, and turned into the `usage.prices.set` input.
 *
 * @see ../../../backend/src/usage/contract.ts — PriceSettings, PriceSettingsInput
 */
import type { PriceSettings, PriceSettingsInput } from '@nodeless/backend/api';

export interface PricesForm {
  mode: 'entered' | 'derived';
  currency: string;
  minimumSeconds: '0' | '60';
  perVcpuHour: string;
  perGibHour: string;
  monthlyCostPerMachine: string;
  targetUtilisationPercent: string;
}

export type PricesField = keyof PricesForm;
export type PricesErrors = Partial<Record<PricesField, string>>;

export const FIELD_LABELS: Record<PricesField, string> = {
  mode: 'Set prices as',
  currency: 'Currency',
  minimumSeconds: 'Minimum billed time',
  perVcpuHour: 'Price per vCPU-hour',
  perGibHour: 'Price per GiB-hour',
  monthlyCostPerMachine: 'Monthly cost per machine',
  targetUtilisationPercent: 'Target utilisation',
};

/** Nano-units as an exact decimal, trailing zeros dropped (40,480,000 → `0.04048`). */
export function nanosText(nanos: number): string {
  const whole = Math.floor(nanos / 1e9);
  const frac = String(nanos % 1e9)
    .padStart(9, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

export function formFromSettings(p: PriceSettings): PricesForm {
  return {
    mode: p.mode,
    currency: p.currency,
    minimumSeconds: p.minimumSeconds === 60 ? '60' : '0',
    perVcpuHour: nanosText(p.nanosPerVcpuHour),
    perGibHour: nanosText(p.nanosPerGibHour),
    monthlyCostPerMachine: p.derived?.monthlyCostPerMachine ?? '',
    targetUtilisationPercent: String(p.derived?.targetUtilisationPercent ?? 60),
  };
}

const decimal = (max: number): RegExp => new RegExp(`^\\d{1,9}(\\.\\d{1,${max}})?$`);

/** What is wrong, field by field (only the fields of the chosen mode are checked). */
export function pricesErrors(form: PricesForm): PricesErrors {
  const errors: PricesErrors = {};
  const label = FIELD_LABELS;
  if (!/^[A-Z]{3}$/.test(form.currency.trim())) {
    errors.currency = `${label.currency} must be three capital letters, an ISO 4217 code such as USD or EUR.`;
  }
  if (form.minimumSeconds !== '0' && form.minimumSeconds !== '60') {
    errors.minimumSeconds = `${label.minimumSeconds} must be 0 s (per second, like ECI) or 60 s (like Fargate).`;
  }
  if (form.mode === 'entered') {
    for (const f of ['perVcpuHour', 'perGibHour'] as const) {
      if (!decimal(9).test(form[f].trim())) {
        errors[f] =
          `${label[f]} must be a number such as 0.04048 (at most 9 decimals, not negative).`;
      }
    }
  } else {
    const cost = form.monthlyCostPerMachine.trim();
    if (!decimal(6).test(cost) || !/[1-9]/.test(cost)) {
      errors.monthlyCostPerMachine = `${label.monthlyCostPerMachine} must be an amount above 0 such as 120.00.`;
    }
    const pct = form.targetUtilisationPercent.trim();
    const n = Number(pct);
    if (!/^\d{1,3}$/.test(pct) || n < 1 || n > 100) {
      errors.targetUtilisationPercent = `${label.targetUtilisationPercent} must be a whole percentage from 1 to 100.`;
    }
  }
  return errors;
}

/** The API input of a form without errors. */
export function pricesInput(clusterId: string, form: PricesForm): PriceSettingsInput {
  const common = {
    clusterId,
    currency: form.currency.trim(),
    minimumSeconds: Number(form.minimumSeconds),
  };
  return form.mode === 'entered'
    ? {
        ...common,
        mode: 'entered',
        perVcpuHour: form.perVcpuHour.trim(),
        perGibHour: form.perGibHour.trim(),
      }
    : {
        ...common,
        mode: 'derived',
        monthlyCostPerMachine: form.monthlyCostPerMachine.trim(),
        targetUtilisationPercent: Number(form.targetUtilisationPercent.trim()),
      };
}

/**
 * The backend's field errors (dotted paths such as `perVcpuHour`) onto the form's fields; the
 * field shows its label with the message (../ui/Field.tsx's fieldMessage).
 */
export function serverErrors(fieldErrors: Readonly<Record<string, string>>): PricesErrors {
  const out: PricesErrors = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    const field = path.split('.').pop() ?? '';
    if (field in FIELD_LABELS) out[field as PricesField] = message;
  }
  return out;
}
