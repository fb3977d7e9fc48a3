/**
 * A throwaway PKI for kube-sim: a self-signed CA, a serving certificate (SANs 127.0.0.1,
 * localhost, plus extras) and client certificates whose subject carries the user (CN) and groups
 * (O), which is how kube-apiserver reads x509 client identities.
 *
 * Keys come from node:crypto (native, fast); node-forge builds and signs the certificates.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface Pki {
  ca: KeyPairPem;
  server: KeyPairPem;
  /** Issues a client certificate for `user` with `groups` as organisations. */
  issueClient(user: string, groups: string[]): KeyPairPem;
}

function newKey(): {
  pem: string;
  forgeKey: forge.pki.rsa.PrivateKey;
  forgePub: forge.pki.rsa.PublicKey;
} {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  const forgePub = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  return { pem, forgeKey, forgePub };
}

function baseCert(pub: forge.pki.PublicKey, now: Date): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = pub;
  // DER integers must be positive and minimally encoded: first byte in 0x10..0x7f.
  const serial = randomBytes(16);
  serial[0] = 0x10 + ((serial[0] ?? 0) % 0x70);
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + 365 * 24 * 60 * 60 * 1000);
  return cert;
}

/** Generates the CA and serving certificate. `now` is injectable for tests. */
export function createPki(extraSans: string[] = [], now = new Date()): Pki {
  const caKey = newKey();
  const caCert = baseCert(caKey.forgePub, now);
  const caSubject = [{ name: 'commonName', value: 'kube-sim-ca' }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(caKey.forgeKey, forge.md.sha256.create());
  const ca = { certPem: forge.pki.certificateToPem(caCert), keyPem: caKey.pem };

  const issue = (subject: forge.pki.CertificateField[], ext: object[]): KeyPairPem => {
    const k = newKey();
    const c = baseCert(k.forgePub, now);
    c.setSubject(subject);
    c.setIssuer(caSubject);
    c.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      ...ext,
    ]);
    c.sign(caKey.forgeKey, forge.md.sha256.create());
    return { certPem: forge.pki.certificateToPem(c), keyPem: k.pem };
  };

  const sans = [...new Set(['127.0.0.1', 'localhost', ...extraSans])];
  const altNames = sans.map((s) => (isIP(s) !== 0 ? { type: 7, ip: s } : { type: 2, value: s }));
  const server = issue(
    [{ name: 'commonName', value: 'kube-apiserver' }],
    [
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  );
  return {
    ca,
    server,
    issueClient: (user, groups) =>
      issue(
        [
          { name: 'commonName', value: user },
          ...groups.map((g) => ({ name: 'organizationName', value: g })),
        ],
        [{ name: 'extKeyUsage', clientAuth: true }],
      ),
  };
}
