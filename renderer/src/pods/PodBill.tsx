/**
 * The pod's bill in its details pane (issue 15): one line from `usage.pod`, e.g. "billed
 * 0.5 vCPU / 1 GiB for 3 h 12 min 5 s = 0.420000 USD", and its efficiency; when the ledger has
 * no record of the pod it says why (no meter, meter down, hour not closed yet) instead of 0.
 */
import { useEffect, useState } from 'react';
import { toProblem } from '../api/problems.ts';
import { useUsageApi } from '../ui/app-context.tsx';
import { notBilledView, podBillView, type PodBillView } from '../usage/pod-bill-model.ts';

type State = { key: string; view: PodBillView } | { key: string; error: string };

export function PodBill(props: {
  clusterId: string;
  uid: string;
  /** Changes when the pod's row changes: read the bill again. */
  version: string;
}) {
  const { clusterId, uid, version } = props;
  const api = useUsageApi();
  const key = `${clusterId}|${uid}|${version}`;
  const [state, setState] = useState<State>();
  useEffect(() => {
    let live = true;
    const done = (s: Omit<State, 'key'>): void => {
      if (live) setState({ key, ...s } as State);
    };
    api.pod({ clusterId, uid }).then(
      (bill) => done({ view: podBillView(bill) }),
      (err: unknown) => {
        const p = toProblem(err);
        if (p.kind !== 'not-found') return done({ error: p.message });
        api.status({ clusterId }).then(
          (s) => done({ view: notBilledView(s.meter) }),
          () => done({ view: notBilledView(undefined) }),
        );
      },
    );
    return () => {
      live = false;
    };
  }, [api, key, clusterId, uid]);
  return (
    <div className="pod-bill" aria-label="Bill">
      <h3>Bill</h3>
      {!state ? <p className="muted">Reading the bill…</p> : null}
      {state && 'error' in state ? <p className="form-error">{state.error}</p> : null}
      {state && 'view' in state && state.view.kind === 'billed' ? (
        <>
          <p className="mono">{state.view.line}</p>
          <p className="muted small">{state.view.efficiency}</p>
        </>
      ) : null}
      {state && 'view' in state && state.view.kind === 'none' ? (
        <p className="muted">{state.view.text}</p>
      ) : null}
    </div>
  );
}
