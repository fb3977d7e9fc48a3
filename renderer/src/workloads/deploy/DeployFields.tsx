/**
 * The deploy form's composite controls: the size picker (vCPU, then that vCPU's memory), the
 * environment and port rows, and the readiness probe. Each control has an accessible name
 * (`Variable 1 name`, `Port 2 number`) and its error right under it, tied by
 * `aria-describedby`, so screen readers and Playwright's getByLabel find both.
 */
import { useId, type ReactNode } from 'react';
import {
  cpuChoices,
  EMPTY_ENV_ENTRY,
  EMPTY_PORT_ENTRY,
  PORT_PROTOCOLS,
  withCpu,
  type EnvEntry,
  type EnvSource,
  type PodSize,
  type PortEntry,
  type PortProtocol,
  type ProbeEntry,
  type SizePrice,
} from '@nodeless/common';
import { fieldMessage } from '../../api/problems.ts';
import { Choice, Field } from '../../ui/Field.tsx';
import { cpuLabel, memoryChoices, memoryLabel, priceText } from './deploy-model.ts';

type Errors = Record<string, string>;

/** An error line with the id its control points at. */
function ErrorLine({ id, label, error }: { id: string; label: string; error?: string }) {
  if (!error) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {fieldMessage(label, error)}
    </p>
  );
}

/** A select with its label, error and hint, like {@link Field}. */
export function SelectField(props: {
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange(value: string): void;
  error?: string | undefined;
  hint?: ReactNode;
}) {
  const id = useId();
  const describedBy = [props.error ? `${id}-error` : '', props.hint ? `${id}-hint` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy || undefined}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorLine id={`${id}-error`} label={props.label} error={props.error} />
      {props.hint ? (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

export function SizePicker(props: {
  size: PodSize;
  replicas: string;
  price: SizePrice;
  error?: string | undefined;
  onChange(size: PodSize): void;
}) {
  const { size } = props;
  return (
    <div className="deploy-size">
      <div className="row">
        <SelectField
          label="vCPU"
          value={String(size.cpuMilli)}
          options={cpuChoices().map((c) => ({
            value: String(c.cpuMilli),
            label: cpuLabel(c.cpuMilli),
          }))}
          onChange={(v) => props.onChange(withCpu(size, Number(v)))}
          error={props.error}
        />
        <SelectField
          label="Memory"
          value={String(size.memoryBytes)}
          options={memoryChoices(size).map((m) => ({ value: String(m), label: memoryLabel(m) }))}
          onChange={(v) => props.onChange({ ...size, memoryBytes: Number(v) })}
        />
      </div>
      <p className="hint deploy-price">{priceText(props.price, size, props.replicas)}</p>
    </div>
  );
}

/** A bare input in a row, named for assistive tech, with its error under it. */
function RowInput(props: {
  label: string;
  value: string;
  onChange(v: string): void;
  error?: string | undefined;
  placeholder?: string;
  className?: string;
  inputMode?: 'numeric';
}) {
  const id = useId();
  return (
    <div className={`deploy-cell ${props.className ?? ''}`}>
      <input
        aria-label={props.label}
        value={props.value}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        spellCheck={false}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
      />
      <ErrorLine id={`${id}-error`} label={props.label} error={props.error} />
    </div>
  );
}

const SOURCES: readonly { value: EnvSource; label: string }[] = [
  { value: 'value', label: 'Value' },
  { value: 'secret', label: 'Secret key' },
  { value: 'configMap', label: 'ConfigMap key' },
];

export function EnvRows(props: {
  env: EnvEntry[];
  errors: Errors;
  onChange(env: EnvEntry[]): void;
}) {
  const set = (i: number, patch: Partial<EnvEntry>) =>
    props.onChange(props.env.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  return (
    <fieldset className="deploy-list">
      <legend>Environment variables</legend>
      {props.env.map((e, i) => {
        const n = i + 1;
        const err = (f: string) => props.errors[`env.${i}.${f}`];
        return (
          <div className="deploy-list-row" key={i}>
            <RowInput
              label={`Variable ${n} name`}
              placeholder="NAME"
              value={e.name}
              error={err('name')}
              onChange={(v) => set(i, { name: v })}
            />
            <div className="deploy-cell">
              <select
                aria-label={`Variable ${n} source`}
                value={e.from}
                onChange={(ev) => set(i, { from: ev.target.value as EnvSource })}
              >
                {SOURCES.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </div>
            {e.from === 'value' ? (
              <RowInput
                label={`Variable ${n} value`}
                placeholder="value"
                className="wide"
                value={e.value}
                error={err('value')}
                onChange={(v) => set(i, { value: v })}
              />
            ) : (
              <>
                <RowInput
                  label={`Variable ${n} ${e.from === 'secret' ? 'Secret' : 'ConfigMap'}`}
                  placeholder={e.from === 'secret' ? 'secret name' : 'configmap name'}
                  value={e.sourceName}
                  error={err('sourceName')}
                  onChange={(v) => set(i, { sourceName: v })}
                />
                <RowInput
                  label={`Variable ${n} key`}
                  placeholder="key"
                  value={e.sourceKey}
                  error={err('sourceKey')}
                  onChange={(v) => set(i, { sourceKey: v })}
                />
              </>
            )}
            <button
              type="button"
              className="ghost"
              aria-label={`Remove variable ${n}`}
              onClick={() => props.onChange(props.env.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </div>
        );
      })}
      <button type="button" onClick={() => props.onChange([...props.env, { ...EMPTY_ENV_ENTRY }])}>
        Add variable
      </button>
    </fieldset>
  );
}

export function PortRows(props: {
  ports: PortEntry[];
  errors: Errors;
  onChange(ports: PortEntry[]): void;
}) {
  const set = (i: number, patch: Partial<PortEntry>) =>
    props.onChange(props.ports.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <fieldset className="deploy-list">
      <legend>Ports</legend>
      {props.ports.map((p, i) => {
        const n = i + 1;
        const err = (f: string) => props.errors[`ports.${i}.${f}`];
        return (
          <div className="deploy-list-row" key={i}>
            <RowInput
              label={`Port ${n} name`}
              placeholder="name (optional)"
              value={p.name}
              error={err('name')}
              onChange={(v) => set(i, { name: v })}
            />
            <RowInput
              label={`Port ${n} number`}
              placeholder="8080"
              inputMode="numeric"
              value={p.containerPort}
              error={err('containerPort')}
              onChange={(v) => set(i, { containerPort: v })}
            />
            <div className="deploy-cell">
              <select
                aria-label={`Port ${n} protocol`}
                value={p.protocol}
                onChange={(ev) => set(i, { protocol: ev.target.value as PortProtocol })}
              >
                {PORT_PROTOCOLS.map((x) => (
                  <option key={x}>{x}</option>
                ))}
              </select>
            </div>
            <button
              type="button"
              className="ghost"
              aria-label={`Remove port ${n}`}
              onClick={() => props.onChange(props.ports.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </div>
        );
      })}
      <button
        type="button"
        onClick={() => props.onChange([...props.ports, { ...EMPTY_PORT_ENTRY }])}
      >
        Add port
      </button>
    </fieldset>
  );
}

export function ProbeFields(props: {
  probe: ProbeEntry;
  errors: Errors;
  onChange(p: ProbeEntry): void;
}) {
  const { probe, errors } = props;
  const set = (patch: Partial<ProbeEntry>) => props.onChange({ ...probe, ...patch });
  return (
    <div className="deploy-probe">
      <Choice
        legend="Readiness probe"
        name="deploy-probe"
        value={probe.kind}
        options={[
          { value: 'none', label: 'None' },
          { value: 'http', label: 'HTTP GET' },
          { value: 'tcp', label: 'TCP connect' },
        ]}
        onChange={(kind) => set({ kind })}
      />
      {probe.kind === 'none' ? null : (
        <div className="row">
          {probe.kind === 'http' ? (
            <Field
              label="Probe path"
              value={probe.path}
              onChange={(v) => set({ path: v })}
              error={errors['probe.path']}
              spellCheck={false}
            />
          ) : null}
          <Field
            label="Probe port"
            value={probe.port}
            onChange={(v) => set({ port: v })}
            error={errors['probe.port']}
            hint="Number or port name"
            spellCheck={false}
          />
          <Field
            label="Period (s)"
            value={probe.periodSeconds}
            onChange={(v) => set({ periodSeconds: v })}
            error={errors['probe.periodSeconds']}
            inputMode="numeric"
          />
          <Field
            label="Initial delay (s)"
            value={probe.initialDelaySeconds}
            onChange={(v) => set({ initialDelaySeconds: v })}
            error={errors['probe.initialDelaySeconds']}
            inputMode="numeric"
          />
        </div>
      )}
    </div>
  );
}
