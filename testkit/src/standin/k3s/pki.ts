/**
 * The stand-in server's own CA (persisted like k3s's `server/tls/server-ca.crt`) and its
 * serving certificate for :6443, reissued at each start with every SAN k3s would put in it
 * (host addresses, hostname, `tls-san`, kubernetes service names).
 *
 * @see https://docs.k3s.io/cli/server#listeners (tls-san)
 * @see https://docs.k3s.io/cli/certificate
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import forge from 'node-forge';

export interface CertPair {
  readonly certPem: string;
  readonly keyPem: string;
}

function newKey(): { pem: string; key: forge.pki.rsa.PrivateKey; pub: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem);
  return { pem, key, pub: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function baseCert(pub: forge.pki.PublicKey, years: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = pub;
  const serial = randomBytes(16);
  serial[0] = 0x10 + ((serial[0] ?? 0) % 0x70);
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 3600_000);
  cert.validity.notAfter = new Date(now + years * 365 * 86400_000);
  return cert;
}

/**
 * Loads `<dir>/<name>.{crt,key}` or creates them (mode 0600 key). k3s keeps a server CA
 * (serving certificates, the token's CA hash) and a client CA (admin and component client
 * certificates) under `server/tls`; both survive restarts, so exported kubeconfigs do too.
 */
export function loadOrCreateCa(
  dir: string,
  name: 'server-ca' | 'client-ca' = 'server-ca',
): CertPair {
  const crt = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  if (fs.existsSync(crt) && fs.existsSync(key))
    return { certPem: fs.readFileSync(crt, 'utf8'), keyPem: fs.readFileSync(key, 'utf8') };
  const k = newKey();
  const cert = baseCert(k.pub, 10);
  // '@' is not PrintableString: encode as UTF8String, as k3s's Go x509 does.
  const subject = [
    {
      name: 'commonName',
      value: `k3s-${name}@${Math.floor(Date.now() / 1000)}`,
      valueTagClass: forge.asn1.Type.UTF8 as number,
    },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(k.key, forge.md.sha256.create());
  const pair = { certPem: forge.pki.certificateToPem(cert), keyPem: k.pem };
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(crt, pair.certPem, { mode: 0o644 });
  fs.writeFileSync(key, pair.keyPem, { mode: 0o600 });
  return pair;
}

/** Issues the :6443 serving certificate for `sans` (IPs and DNS names). */
export function issueServing(ca: CertPair, sans: readonly string[]): CertPair {
  const k = newKey();
  const cert = baseCert(k.pub, 1);
  cert.setSubject([
    { name: 'commonName', value: 'k3s' },
    { name: 'organizationName', value: 'k3s' },
  ]);
  cert.setIssuer(forge.pki.certificateFromPem(ca.certPem).subject.attributes);
  const unique = [...new Set(sans.filter(Boolean))];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: unique.map((s) => (isIP(s) !== 0 ? { type: 7, ip: s } : { type: 2, value: s })),
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: k.pem };
}

/** A client certificate for `user` in `groups` (CN and O, as Kubernetes reads them). */
export function issueClient(ca: CertPair, user: string, groups: readonly string[]): CertPair {
  const k = newKey();
  const cert = baseCert(k.pub, 1);
  cert.setSubject([
    { name: 'commonName', value: user },
    ...groups.map((g) => ({ name: 'organizationName', value: g })),
  ]);
  cert.setIssuer(forge.pki.certificateFromPem(ca.certPem).subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: k.pem };
}
