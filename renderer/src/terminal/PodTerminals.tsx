/**
 * The terminals of one pod: several at once, each in its own tab with its own socket and shell
 * (closing a tab ends only its exec). Hidden terminals stay mounted so their sessions live on.
 * Mount it in the pod's details with the pod's containers (main ones first: the default).
 */
import { useState } from 'react';
import { defaultExecApi, type ExecApi } from '../api/exec-api.ts';
import { TerminalView } from './TerminalView.tsx';
import { describeState, type TerminalState } from './terminal-state.ts';
import './terminal.css';

interface Opened {
  id: number;
  container: string | undefined;
  state: TerminalState;
}

let nextId = 1;

export function PodTerminals(props: {
  clusterId: string;
  namespace: string;
  pod: string;
  /** The pod's containers, the default first; empty while unknown (the backend picks). */
  containers: readonly string[];
  api?: ExecApi;
}) {
  const { clusterId, namespace, pod, containers } = props;
  const api = props.api ?? defaultExecApi();
  const [terminals, setTerminals] = useState<Opened[]>([]);
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const [container, setContainer] = useState<string | undefined>(undefined);
  const chosen = container ?? containers[0];

  const open = (): void => {
    const id = nextId++;
    setTerminals((t) => [...t, { id, container: chosen, state: { kind: 'connecting' } }]);
    setSelected(id);
  };
  const close = (id: number): void => {
    const rest = terminals.filter((t) => t.id !== id);
    setTerminals(rest);
    if (selected === id) setSelected(rest.at(-1)?.id);
  };
  const stateOf = (id: number, state: TerminalState): void =>
    setTerminals((ts) => ts.map((t) => (t.id === id ? { ...t, state } : t)));

  return (
    <div className="pod-terminals">
      <div className="terminal-bar">
        {containers.length > 1 ? (
          <label className="small">
            Container{' '}
            <select value={chosen} onChange={(e) => setContainer(e.target.value)}>
              {containers.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="button" className="small" onClick={open}>
          New terminal
        </button>
        <div className="terminal-tabs" role="tablist" aria-label="Terminals">
          {terminals.map((t, i) => (
            <span key={t.id} className="terminal-tab" data-selected={t.id === selected}>
              <button
                type="button"
                role="tab"
                className="small"
                aria-selected={t.id === selected}
                title={describeState(t.state)}
                onClick={() => setSelected(t.id)}
              >
                {`Terminal ${i + 1}`}
                {t.state.kind === 'exited' ? ` (exit ${t.state.code})` : ''}
              </button>
              <button
                type="button"
                className="icon-button small"
                aria-label={`Close terminal ${i + 1}`}
                onClick={() => close(t.id)}
              >
                ×
              </button>
            </span>
          ))}
        </div>
      </div>
      {terminals.length === 0 ? (
        <p className="muted">
          A terminal runs a shell in the pod (bash, or sh where there is no bash) through the
          cluster&apos;s API; no kubectl needed.
        </p>
      ) : null}
      {terminals.map((t) => (
        <div key={t.id} className="terminal-pane" hidden={t.id !== selected} role="tabpanel">
          <TerminalView
            api={api}
            target={{
              clusterId,
              namespace,
              pod,
              ...(t.container === undefined ? {} : { container: t.container }),
            }}
            autoFocus
            onState={(s) => stateOf(t.id, s)}
          />
        </div>
      ))}
    </div>
  );
}
