/**
 * An x509 client certificate from the cluster's own CA, through the CertificateSigningRequest
 * API, as `kubectl certificate approve` does it: a key pair made here (node:crypto; the private
 * key leaves this process only inside the kubeconfig the caller writes), a PKCS#10 request
 * (node-forge: node:crypto makes keys, not requests) whose subject is the Kubernetes identity
 * (CN = user, O = groups), a CSR with signer `kubernetes.io/kube-apiserver-client` and
 * `expirationSeconds`, approval through the `/approval` subresource, the wait for the signed
 * certificate, and the CSR deleted afterwards (it holds nothing secret, but need not linger).
 *
 * A cluster that does not serve certificates.k8s.io/v1 (kube-sim: 404) is refused before any
 * key is made, naming the field `credential`.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/
 * @see https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#normal-user
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import type {
  V1CertificateSigningRequest,
  V1CertificateSigningRequestCondition,
} from '@kubernetes/client-node';
import forge from 'node-forge';
import { UnknownResourceError, type KubeClient } from '../client.ts';
import { kindIdentity } from '../kinds/kind.ts';
import { TenantInputError } from './names.ts';

export const CERTIFICATE_SIGNING_REQUEST = kindIdentity(
  'certificates.k8s.io',
  'v1',
  'CertificateSigningRequest',
  'certificatesigningrequests',
  false,
);
export const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';

export interface KeyAndRequest {
  /** PKCS#8 PEM: secret. */
  keyPem: string;
  /** PKCS#10 PEM. */
  requestPem: string;
}

/** A fresh RSA 2048 key and a signed PKCS#10 request for CN `user`, O `groups`. */
export function certificateRequest(user: string, groups: readonly string[]): KeyAndRequest {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem);
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  // UTF8String, as Go's x509 writes subjects: ':' is fine in PrintableString, but names may not be.
  const utf8 = forge.asn1.Type.UTF8 as number;
  csr.setSubject([
    { name: 'commonName', value: user, valueTagClass: utf8 },
    ...groups.map((g) => ({ name: 'organizationName', value: g, valueTagClass: utf8 })),
  ]);
  csr.sign(key, forge.md.sha256.create());
  return { keyPem, requestPem: forge.pki.certificationRequestToPem(csr) };
}

/** Throws a field error on `credential` when the cluster does not serve the CSR API. */
export async function assertCsrServed(client: KubeClient): Promise<void> {
  try {
    await client.resource(CERTIFICATE_SIGNING_REQUEST);
  } catch (e) {
    if (!(e instanceof UnknownResourceError)) throw e;
    throw new TenantInputError(
      'credential',
      'this cluster does not serve the CertificateSigningRequest API (certificates.k8s.io/v1), so it cannot sign a client certificate; choose "token"',
    );
  }
}

export interface IssuedCertificate {
  /** PEM of the signed certificate. */
  certificatePem: string;
  /** PEM of the private key: secret. */
  keyPem: string;
  /** notAfter of the certificate (the signer may shorten the requested expiry). */
  expiresAt: string;
}

export interface IssueCertificateOptions {
  /** The CSR object's name (cluster-scoped). */
  name: string;
  user: string;
  groups: readonly string[];
  expiresSeconds: number;
  /** How long to wait for the signer; default 60 s. */
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
}

const condition = (csr: V1CertificateSigningRequest | undefined, type: string) =>
  csr?.status?.conditions?.find((c: V1CertificateSigningRequestCondition) => c.type === type);

/** Requests, approves and collects a client certificate; the CSR is deleted in every case. */
export async function issueClientCertificate(
  client: KubeClient,
  o: IssueCertificateOptions,
): Promise<IssuedCertificate> {
  const { name, signal } = o;
  const { keyPem, requestPem } = certificateRequest(o.user, o.groups);
  await client.create<V1CertificateSigningRequest>(
    CERTIFICATE_SIGNING_REQUEST,
    {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name },
      spec: {
        request: Buffer.from(requestPem).toString('base64'),
        signerName: CLIENT_SIGNER,
        expirationSeconds: o.expiresSeconds,
        usages: ['digital signature', 'key encipherment', 'client auth'],
      },
    },
    signal,
  );
  try {
    await client.patchSubresource(
      CERTIFICATE_SIGNING_REQUEST,
      name,
      undefined,
      'approval',
      {
        status: {
          conditions: [
            {
              type: 'Approved',
              status: 'True',
              reason: 'NodelessTenantExport',
              message: `Approved by Nodeless for ${o.user}`,
            },
          ],
        },
      },
      signal,
    );
    const outcome = await client.waitFor<
      V1CertificateSigningRequest,
      { pem?: string; failed?: string }
    >(CERTIFICATE_SIGNING_REQUEST, {
      fieldSelector: `metadata.name=${name}`,
      describe: `the certificate of CertificateSigningRequest ${name}`,
      timeoutMs: o.timeoutMs ?? 60_000,
      ...(signal ? { signal } : {}),
      until: (objects) => {
        const csr = objects.get(`/${name}`);
        const failed = condition(csr, 'Failed') ?? condition(csr, 'Denied');
        if (failed) {
          return {
            failed: `${failed.type}: ${failed.reason ?? ''} ${failed.message ?? ''}`.trim(),
          };
        }
        const pem = csr?.status?.certificate;
        return pem ? { pem } : undefined;
      },
    });
    if (!outcome.pem)
      throw new Error(
        `the cluster did not sign the certificate (${outcome.failed ?? 'no certificate'})`,
      );
    const certificate = outcome.pem;
    const certificatePem = Buffer.from(certificate, 'base64').toString('utf8');
    const expiresAt = new Date(new X509Certificate(certificatePem).validTo).toISOString();
    return { certificatePem, keyPem, expiresAt };
  } finally {
    await client.delete(CERTIFICATE_SIGNING_REQUEST, name, undefined).catch(() => false);
  }
}
