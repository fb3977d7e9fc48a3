/**
 * "Add a machine", offered where pods wait because the pool is full. For a cluster Nodeless
 * installed it opens the add-hosts flow of that cluster: its Machines section with the Add host
 * form open (then Test connection → Add to cluster), with a way back to where the user was. Nodeless cannot reach the machines of a cluster it did not
 * install (imported from a kubeconfig, or the demo) — it has no SSH access to them — so there
 * the button explains how a machine joins that cluster with its own tools instead. Either way,
 * once a new machine is Ready the waiting pods start and the sentence goes away by itself.
 */
import { useState } from 'react';
import type { ClusterSource } from '@nodeless/backend/api';
import { Dialog } from '../ui/Dialog.tsx';
import { navigate } from '../ui/use-route.ts';
import { requestAddHost } from './add-machine-intent.ts';

/** The cluster the button adds to (a ClusterEntry fits). */
export interface MachineTarget {
  id: string;
  name: string;
  source: ClusterSource | undefined;
  /** Created in Nodeless: its machines are managed here. */
  managed: boolean;
  workspace?: { servers: string[] } | undefined;
}

export function AddMachineButton({ cluster }: { cluster: MachineTarget }) {
  const [explaining, setExplaining] = useState(false);
  const onClick = () => {
    if (!cluster.managed) return setExplaining(true);
    requestAddHost({ clusterId: cluster.id, from: window.location.hash });
    navigate({ kind: 'cluster', clusterId: cluster.id, section: 'machines' });
  };
  return (
    <>
      <button type="button" className="primary small" onClick={onClick}>
        Add a machine
      </button>
      {explaining ? (
        <JoinMachineDialog cluster={cluster} onClose={() => setExplaining(false)} />
      ) : null}
    </>
  );
}

/** A simulated machine for the demo: kube-sim runs pods on Ready nodes labelled simulated. */
const DEMO_NODE = `apiVersion: v1
kind: Node
metadata:
  name: sim-extra-1
  labels:
    nodeless.dev/simulated: "true"
    nodeless.dev/sandbox: kata
status:
  capacity: { cpu: "32", memory: 128Gi, pods: "110" }
  allocatable: { cpu: "32", memory: 128Gi, pods: "110" }
  conditions:
    - { type: Ready, status: "True", reason: KubeletReady, message: simulated }`;

function JoinMachineDialog({ cluster, onClose }: { cluster: MachineTarget; onClose(): void }) {
  const server = cluster.workspace?.servers[0] ?? 'https://<server>:6443';
  return (
    <Dialog title={`Add a machine to ${cluster.name}`} onClose={onClose} wide>
      <div className="dialog-body join-machine">
        {cluster.source === 'demo' ? (
          <>
            <p>
              The demo cluster is simulated: its machines are Node objects, not computers, so there
              is nothing to install. A simulated machine is added with kubectl, against the
              demo&apos;s kubeconfig:
            </p>
            <pre className="mono code-block" aria-label="Simulated machine manifest">
              {DEMO_NODE}
            </pre>
            <pre className="mono code-block">kubectl create -f node.yaml</pre>
          </>
        ) : (
          <>
            <p>
              Nodeless did not install this cluster, so it cannot reach its machines over SSH or
              install anything on a new one. Join a machine with the cluster&apos;s own tools:
            </p>
            <ul>
              <li>
                <strong>k3s</strong>: on the new machine, with the token from{' '}
                <code>/var/lib/rancher/k3s/server/node-token</code> on a server:
                <pre className="mono code-block">
                  {`curl -sfL https://get.k3s.io | K3S_URL=${server} K3S_TOKEN=<token> sh -`}
                </pre>
              </li>
              <li>
                <strong>kubeadm</strong>: run <code>kubeadm token create --print-join-command</code>{' '}
                on a control-plane machine, then the command it prints on the new machine.
              </li>
              <li>
                <strong>A cloud provider&apos;s cluster</strong>: add a node to its node pool in the
                provider&apos;s console or CLI.
              </li>
            </ul>
            <p className="muted small">
              To have Nodeless add machines over SSH, create the cluster in Nodeless instead.
            </p>
          </>
        )}
        <p>
          Once the machine is Ready, the waiting pods start by themselves and this warning goes
          away.
        </p>
      </div>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          Got it
        </button>
      </div>
    </Dialog>
  );
}
