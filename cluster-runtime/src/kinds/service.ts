/**
 * Service (core/v1): identity and row — kubectl's TYPE, CLUSTER-IP, EXTERNAL-IP and PORT(S)
 * (`80/TCP`, `80:30080/TCP` with a node port), and the selector.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printService)
 */
import type { V1Service } from '@kubernetes/client-node';
import { kindIdentity, rowBase, type RowBase } from './kind.ts';

export const SERVICE = kindIdentity('', 'v1', 'Service', 'services', true);

export interface ServiceRow extends RowBase {
  namespace: string;
  /** ClusterIP, NodePort, LoadBalancer or ExternalName. */
  type: string;
  /** `None` for a headless service; absent for ExternalName. */
  clusterIP?: string;
  /** kubectl's EXTERNAL-IP: `<none>`, `<pending>`, addresses, or the external name. */
  externalIP: string;
  /** kubectl's PORT(S): `80/TCP,443:30443/TCP`, or `<none>`. */
  ports: string;
  selector?: Readonly<Record<string, string>>;
}

function externalIP(s: V1Service): string {
  const external = s.spec?.externalIPs ?? [];
  switch (s.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = [
        ...new Set(
          (s.status?.loadBalancer?.ingress ?? [])
            .map((i) => i.ip || i.hostname || '')
            .filter(Boolean),
        ),
      ].sort();
      const all = [...lb, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return s.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function ports(s: V1Service): string {
  const list = (s.spec?.ports ?? []).map((p) => {
    const protocol = p.protocol ?? 'TCP';
    return p.nodePort ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
  });
  return list.length ? list.join(',') : '<none>';
}

export function serviceRow(s: V1Service): ServiceRow {
  const base = rowBase(s);
  const clusterIP = s.spec?.clusterIP;
  const selector = s.spec?.selector;
  return {
    ...base,
    namespace: base.namespace ?? '',
    type: s.spec?.type ?? 'ClusterIP',
    ...(clusterIP ? { clusterIP } : {}),
    externalIP: externalIP(s),
    ports: ports(s),
    ...(selector && Object.keys(selector).length ? { selector } : {}),
  };
}
