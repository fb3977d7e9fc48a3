/**
 * The prices the bill uses: entered per vCPU-hour and GiB-hour, or derived from what a machine
 * costs per month and the share of the pool expected to be billed (the backend divides the
 * machines' cost over the pool at that utilisation). Minimum billed time 0 s (ECI) or 60 s
 * (Fargate). Errors appear under the field they are about and name it; the backend's field
 * errors land on the same fields.
 */
import { useState, type FormEvent } from 'react';
import type { PriceSettings } from '@nodeless/backend/api';
import { toProblem } from '../api/problems.ts';
import { useUsageApi } from '../ui/app-context.tsx';
import { Choice, Field } from '../ui/Field.tsx';
import {
  FIELD_LABELS,
  formFromSettings,
  nanosText,
  pricesErrors,
  pricesInput,
  serverErrors,
  type PricesErrors,
  type PricesForm as Form,
} from './prices-model.ts';

export function PricesForm(props: { clusterId: string; prices: PriceSettings; onSaved(): void }) {
  const { clusterId, prices, onSaved } = props;
  const api = useUsageApi();
  const [form, setForm] = useState<Form>(() => formFromSettings(prices));
  const [errors, setErrors] = useState<PricesErrors>({});
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Form>): void => setForm((f) => ({ ...f, ...patch }));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const found = pricesErrors(form);
    setErrors(found);
    setProblem(undefined);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    api
      .setPrices(pricesInput(clusterId, form))
      .then(onSaved, (err: unknown) => {
        const p = toProblem(err);
        const fields = serverErrors(p.fieldErrors);
        setErrors(fields);
        if (Object.keys(fields).length === 0) setProblem(p.message);
      })
      .finally(() => setBusy(false));
  };
  const L = FIELD_LABELS;
  return (
    <details className="usage-card usage-prices">
      <summary>
        <h2>Prices</h2>
        <span className="muted small">
          {nanosText(prices.nanosPerVcpuHour)} {prices.currency} per vCPU-hour ·{' '}
          {nanosText(prices.nanosPerGibHour)} per GiB-hour · minimum {prices.minimumSeconds} s
          {prices.defaults ? ' (defaults)' : prices.mode === 'derived' ? ' (derived)' : ''}
        </span>
      </summary>
      <form onSubmit={submit} noValidate aria-label="Prices">
        <Choice
          legend={L.mode}
          name="prices-mode"
          value={form.mode}
          options={[
            { value: 'entered', label: 'Entered' },
            { value: 'derived', label: 'From machine cost' },
          ]}
          onChange={(mode) => set({ mode })}
        />
        <div className="row">
          <Field
            label={L.currency}
            value={form.currency}
            onChange={(currency) => set({ currency: currency.toUpperCase() })}
            error={errors.currency}
            maxLength={3}
            className="narrow"
          />
          <Choice
            legend={L.minimumSeconds}
            name="prices-minimum"
            value={form.minimumSeconds}
            options={[
              { value: '0', label: '0 s (per second)' },
              { value: '60', label: '60 s' },
            ]}
            onChange={(minimumSeconds) => set({ minimumSeconds })}
            error={errors.minimumSeconds}
          />
        </div>
        {form.mode === 'entered' ? (
          <div className="row">
            <Field
              label={L.perVcpuHour}
              value={form.perVcpuHour}
              onChange={(perVcpuHour) => set({ perVcpuHour })}
              error={errors.perVcpuHour}
              inputMode="decimal"
            />
            <Field
              label={L.perGibHour}
              value={form.perGibHour}
              onChange={(perGibHour) => set({ perGibHour })}
              error={errors.perGibHour}
              inputMode="decimal"
            />
          </div>
        ) : (
          <div className="row">
            <Field
              label={L.monthlyCostPerMachine}
              value={form.monthlyCostPerMachine}
              onChange={(monthlyCostPerMachine) => set({ monthlyCostPerMachine })}
              error={errors.monthlyCostPerMachine}
              inputMode="decimal"
              hint={
                prices.derived
                  ? `Over ${prices.derived.machines} machines (${prices.derived.pool.cpuMilli / 1000} vCPU)`
                  : 'Hardware, power and space, per machine'
              }
            />
            <Field
              label={L.targetUtilisationPercent}
              value={form.targetUtilisationPercent}
              onChange={(targetUtilisationPercent) => set({ targetUtilisationPercent })}
              error={errors.targetUtilisationPercent}
              inputMode="numeric"
              hint="Percent of the pool you expect pods to be billed for"
            />
          </div>
        )}
        {problem ? (
          <p className="form-error" role="alert">
            {problem}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save prices'}
        </button>
      </form>
    </details>
  );
}
