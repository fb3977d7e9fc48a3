/**
 * The test substrate's one X.509 toolkit: certificate authorities, serving certificates with
 * SANs, and client certificates whose subject carries a Kubernetes identity (CN = user,
 * O = groups) — how kube-apiserver reads x509 client identities. Keys come from node:crypto
 * (native, fast); node-forge builds and signs the certificates.
 *
 * @see https://kubernetes.io/docs/setup/best-practices/certificates/
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface CertPair {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface IssueOptions {
  /** Subject CN (the user, for client certificates). */
  readonly commonName: string;
  /** Subject O entries (groups, for client certificates). */
  readonly organizations?: readonly string[];
  /** IPs and DNS names; makes it a serving certificate. */
  readonly sans?: readonly string[];
  /** Adds clientAuth to the extended key usage. */
  readonly client?: boolean;
  readonly days?: number;
  readonly now?: Date;
}

function newKey(): { pem: string; key: forge.pki.rsa.PrivateKey; pub: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem);
  return { pem, key, pub: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function baseCert(pub: forge.pki.PublicKey, days: number, now: Date): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = pub;
  // DER integers must be positive and minimally encoded: first byte in 0x10..0x7f.
  const serial = randomBytes(16);
  serial[0] = 0x10 + ((serial[0] ?? 0) % 0x70);
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - 3600_000);
  cert.validity.notAfter = new Date(now.getTime() + days * 86400_000);
  return cert;
}

/**
 * A self-signed CA. The CN is encoded as UTF8String, as Go's x509 does, so names such as
 * k3s's `k3s-server-ca@<time>` (an '@' is not a PrintableString character) survive.
 */
export function createCa(
  commonName: string,
  options: { days?: number; now?: Date } = {},
): CertPair {
  const k = newKey();
  const cert = baseCert(k.pub, options.days ?? 3650, options.now ?? new Date());
  const subject = [
    { name: 'commonName', value: commonName, valueTagClass: forge.asn1.Type.UTF8 as number },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(k.key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: k.pem };
}

/** Issues a leaf certificate signed by `ca`. */
export function issueCert(ca: CertPair, o: IssueOptions): CertPair {
  const k = newKey();
  const cert = baseCert(k.pub, o.days ?? 365, o.now ?? new Date());
  cert.setSubject([
    { name: 'commonName', value: o.commonName },
    ...(o.organizations ?? []).map((g) => ({ name: 'organizationName', value: g })),
  ]);
  cert.setIssuer(forge.pki.certificateFromPem(ca.certPem).subject.attributes);
  const sans = [...new Set((o.sans ?? []).filter(Boolean))];
  const serving = sans.length > 0;
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: serving, clientAuth: o.client === true || !serving },
    ...(serving
      ? [
          {
            name: 'subjectAltName',
            altNames: sans.map((s) => (isIP(s) !== 0 ? { type: 7, ip: s } : { type: 2, value: s })),
          },
        ]
      : []),
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: k.pem };
}

/** A bare RSA key pair (PEM), e.g. the service-account signing key. */
export function createKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
