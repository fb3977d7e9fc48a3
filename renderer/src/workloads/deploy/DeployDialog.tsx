/**
 * Deploy from a form: name, namespace (existing or new), image, size from the table (vCPU, then
 * memory), replicas, command and arguments, environment (plain or from a Secret/ConfigMap key),
 * ports, expose as a Service, readiness probe — with the YAML of exactly what Deploy applies
 * beside it, live (common's `deployObjects`, the backend's own builder). The form's rules are
 * common's validator, checked on Deploy and then as you type; the server's refusals and
 * server-side-apply conflicts show next to the field they name, and a conflict offers
 * "Apply anyway" (force). What an earlier deploy made and the form no longer does (its Service
 * once Expose is No) is listed above the preview as deleted, and said again once it is.
 *
 * @see ../../../../backend/src/workloads/deploy/deploy.ts
 */
import { useEffect, useId, useMemo, useState } from 'react';
import {
  emptyDeployForm,
  NO_PRICES,
  validateDeployForm,
  type DeployForm,
  type SizePrice,
} from '@nodeless/common';
import type { DeployConflict, DeployedObject } from '@nodeless/backend/api';
import {
  defaultWorkloadsDeployApi,
  type WorkloadsDeployApi,
} from '../../api/workloads-deploy-api.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Choice, Field } from '../../ui/Field.tsx';
import { useAction } from '../../ui/use-action.ts';
import type { WorkloadRef } from '../workload-ref.ts';
import { EnvRows, PortRows, ProbeFields, SelectField, SizePicker } from './DeployFields.tsx';
import { DeletionList, DeployedWithDeletions, useDeployDeletions } from './DeployDeletions.tsx';
import {
  conflictNotes,
  formErrors,
  linesToText,
  managerText,
  previewYaml,
  textToLines,
  unplacedErrors,
} from './deploy-model.ts';
import './deploy.css';

export interface DeployDialogProps {
  clusterId: string;
  /** Preselected namespace (the section's filter), if any. */
  namespace?: string;
  onClose: () => void;
  /** Called with what was deployed, so the section can open it. */
  onDeployed: (workload: WorkloadRef) => void;
  /** The API (a fake in tests); default: the window's. */
  api?: WorkloadsDeployApi;
  /** Prices per size once metering has them; default: none yet. */
  price?: SizePrice;
}

const NEW_NAMESPACE = '\u0000new';

/** A textarea of one item per line. */
function LinesField(props: {
  label: string;
  value: string[];
  hint: string;
  error?: string | undefined;
  onChange(v: string[]): void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        rows={2}
        spellCheck={false}
        value={linesToText(props.value)}
        onChange={(e) => props.onChange(textToLines(e.target.value))}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={`${props.error ? `${id}-error ` : ''}${id}-hint`}
      />
      {props.error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <p id={`${id}-hint`} className="hint">
        {props.hint}
      </p>
    </div>
  );
}

export function DeployDialog(props: DeployDialogProps) {
  const api = props.api ?? defaultWorkloadsDeployApi();
  const action = useAction();
  const formId = useId();
  const [form, setForm] = useState<DeployForm>(() => emptyDeployForm(props.namespace ?? 'default'));
  const [namespaces, setNamespaces] = useState<string[] | null>(null);
  const [checked, setChecked] = useState(false);
  const [conflicts, setConflicts] = useState<DeployConflict[] | null>(null);
  const deletions = useDeployDeletions(api, props.clusterId, form);
  const [done, setDone] = useState<{ workload: WorkloadRef; deleted: DeployedObject[] } | null>(
    null,
  );

  useEffect(() => {
    let live = true;
    api.namespaces({ clusterId: props.clusterId }).then(
      ({ namespaces: list }) => {
        if (!live) return;
        setNamespaces(list);
        setForm((f) => {
          if (list.includes(f.namespace)) return f;
          const first = list.includes('default') ? 'default' : list[0];
          return first
            ? { ...f, namespace: first }
            : { ...f, createNamespace: true, namespace: '' };
        });
      },
      () => live && setNamespaces([]),
    );
    return () => {
      live = false;
    };
  }, [api, props.clusterId]);

  const preview = useMemo(() => previewYaml(form), [form]);
  const local = useMemo(() => (checked ? validateDeployForm(form) : {}), [checked, form]);
  const server = action.problem ? formErrors(action.problem.fieldErrors) : {};
  const errors: Record<string, string> = { ...server, ...local };
  const notes = conflicts ? conflictNotes(conflicts) : {};
  const shown = (key: string): string | undefined => errors[key] ?? notes[key];
  const unplaced = unplacedErrors(form, errors);
  if (action.problem && Object.keys(action.problem.fieldErrors).length === 0)
    unplaced.push(action.problem.message);

  function change(update: (f: DeployForm) => DeployForm) {
    setForm(update);
    action.clear();
    setConflicts(null);
  }
  function set<K extends keyof DeployForm>(key: K, value: DeployForm[K]) {
    change((f) => ({ ...f, [key]: value }));
  }

  async function submit(force: boolean) {
    setChecked(true);
    if (Object.keys(validateDeployForm(form)).length > 0) return;
    const o = await action.run(() => api.submit({ clusterId: props.clusterId, form, force }));
    if (!o.ok) return;
    if (o.value.outcome === 'conflict') setConflicts(o.value.conflicts);
    else if (o.value.deletions.length > 0)
      setDone({ workload: o.value.workload, deleted: o.value.deletions });
    else props.onDeployed(o.value.workload);
  }

  if (done) {
    const open = () => props.onDeployed(done.workload);
    return (
      <Dialog title="Deploy an app" onClose={open}>
        <DeployedWithDeletions name={done.workload.name} deleted={done.deleted} onOpen={open} />
      </Dialog>
    );
  }

  const nsOptions = [
    ...(namespaces ?? []).map((n) => ({ value: n, label: n })),
    { value: NEW_NAMESPACE, label: 'New namespace…' },
  ];

  return (
    <Dialog title="Deploy an app" onClose={props.onClose} wide>
      <div
        className={conflicts || unplaced.length > 0 ? 'deploy-layout has-notes' : 'deploy-layout'}
      >
        <form
          id={formId}
          className="dialog-body deploy-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit(false);
          }}
        >
          <div className="row">
            <Field
              label="Name"
              value={form.name}
              onChange={(v) => set('name', v)}
              error={shown('name')}
              hint="Names the Deployment, its container and its Service."
              spellCheck={false}
              autoFocus
            />
            <SelectField
              label="Namespace"
              value={form.createNamespace ? NEW_NAMESPACE : form.namespace}
              options={nsOptions}
              onChange={(v) =>
                change((f) =>
                  v === NEW_NAMESPACE
                    ? { ...f, createNamespace: true, namespace: '' }
                    : { ...f, createNamespace: false, namespace: v },
                )
              }
              error={form.createNamespace ? undefined : shown('namespace')}
              hint={namespaces === null ? 'Loading namespaces…' : undefined}
            />
          </div>
          {form.createNamespace ? (
            <Field
              label="New namespace"
              value={form.namespace}
              onChange={(v) => set('namespace', v)}
              error={shown('namespace')}
              hint="Created before the app, if it does not exist."
              spellCheck={false}
            />
          ) : null}
          <Field
            label="Image"
            value={form.image}
            onChange={(v) => set('image', v)}
            error={shown('image')}
            placeholder="nginx:1.27"
            spellCheck={false}
          />
          <SizePicker
            size={form.size}
            replicas={form.replicas}
            price={props.price ?? NO_PRICES}
            error={shown('size')}
            onChange={(s) => set('size', s)}
          />
          <Field
            label="Replicas"
            value={form.replicas}
            onChange={(v) => set('replicas', v)}
            error={shown('replicas')}
            inputMode="numeric"
            className="narrow"
          />
          <div className="row">
            <LinesField
              label="Command"
              value={form.command}
              onChange={(v) => set('command', v)}
              error={shown('command')}
              hint="One item per line; empty: the image's entrypoint."
            />
            <LinesField
              label="Arguments"
              value={form.args}
              onChange={(v) => set('args', v)}
              error={shown('args')}
              hint="One item per line; empty: the image's."
            />
          </div>
          <EnvRows
            env={form.env}
            errors={{ ...notes, ...errors }}
            onChange={(v) => set('env', v)}
          />
          <PortRows
            ports={form.ports}
            errors={{ ...notes, ...errors }}
            onChange={(v) => set('ports', v)}
          />
          <Choice
            legend="Expose as a Service"
            name="deploy-expose"
            value={form.expose}
            options={[
              { value: 'none', label: 'No' },
              { value: 'ClusterIP', label: 'In the cluster (ClusterIP)' },
              { value: 'LoadBalancer', label: 'Outside (LoadBalancer)' },
            ]}
            onChange={(v) => set('expose', v)}
            error={shown('expose')}
          />
          <ProbeFields probe={form.probe} errors={errors} onChange={(v) => set('probe', v)} />
        </form>
        <section className="deploy-preview" aria-labelledby={`${formId}-preview`}>
          <h3 id={`${formId}-preview`}>What Deploy applies</h3>
          <p className="hint">
            Server-side apply, field manager nodeless; kubectl reads the same back.
          </p>
          <DeletionList deletions={deletions} />
          <pre className="mono" tabIndex={0} aria-label="YAML preview">
            {preview}
          </pre>
        </section>
      </div>
      {conflicts ? (
        <div className="deploy-conflicts" role="alert">
          <p>
            Other tools manage fields this deploy changes. Apply anyway to take them over, or change
            the form to keep their values:
          </p>
          <ul>
            {conflicts.map((c) => (
              <li key={`${c.kind}${c.path}`}>
                <code>{c.path}</code> of {c.kind} {c.name} is managed by{' '}
                <strong>{managerText(c)}</strong>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {unplaced.length > 0 ? (
        <div className="form-error" role="alert">
          {unplaced.length === 1 ? (
            unplaced[0]
          ) : (
            <ul>
              {unplaced.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
      <footer className="dialog-actions">
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
        {conflicts ? (
          <button
            type="button"
            className="danger"
            disabled={action.pending}
            onClick={() => void submit(true)}
          >
            {action.pending ? 'Applying…' : 'Apply anyway'}
          </button>
        ) : (
          <button type="submit" form={formId} className="primary" disabled={action.pending}>
            {action.pending ? 'Deploying…' : 'Deploy'}
          </button>
        )}
      </footer>
    </Dialog>
  );
}
