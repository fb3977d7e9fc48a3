import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import {
  CREDENTIALS_ANNOTATION,
  liveCredentialRecords,
  parseCredentialRecords,
  TENANT_BINDING,
  tenantBindingObject,
  type CredentialRecord,
} from './access.ts';
import { certificateRequest } from './certificate.ts';
import { credentialGroup, memberNameProblem, memberUserName } from './names.ts';

const cert = (id: string, expiresAt: string): CredentialRecord => ({
  id,
  member: 'alice',
  credential: 'certificate',
  issuedAt: '2030-01-01T00:00:00Z',
  expiresAt,
});
const token: CredentialRecord = { ...cert('t1', '2030-02-01T00:00:00Z'), credential: 'token' };

describe('tenant bindings', () => {
  it('bind the ServiceAccount and one group per certificate, in every namespace', () => {
    const records = [cert('c1', '2030-02-01T00:00:00Z'), token];
    const other = tenantBindingObject('team-a-staging', 'team-a', records);
    expect(other.metadata?.name).toBe(TENANT_BINDING);
    expect(other.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'nodeless-tenant', namespace: 'team-a' },
      {
        kind: 'Group',
        apiGroup: 'rbac.authorization.k8s.io',
        name: 'nodeless:tenant:team-a:credential:c1',
      },
    ]);
    // Only the home namespace carries the record.
    expect(other.metadata?.annotations).toBeUndefined();
    const home = tenantBindingObject('team-a', 'team-a', records);
    expect(parseCredentialRecords(home.metadata?.annotations?.[CREDENTIALS_ANNOTATION])).toEqual(
      records,
    );
  });

  it('read records defensively and keep only the live ones', () => {
    expect(parseCredentialRecords(undefined)).toEqual([]);
    expect(parseCredentialRecords('not json')).toEqual([]);
    expect(parseCredentialRecords('[{"id":"x"}]')).toEqual([]);
    const records = [cert('old', '2030-01-01T00:00:00Z'), cert('new', '2030-01-03T00:00:00Z')];
    expect(
      liveCredentialRecords(records, new Date('2030-01-02T00:00:00Z')).map((r) => r.id),
    ).toEqual(['new']);
  });
});

describe('member names and identities', () => {
  it('accept DNS-like names and refuse the rest', () => {
    for (const ok of ['alice', 'ci.bot', 'a-1']) expect(memberNameProblem(ok)).toBeUndefined();
    expect(memberNameProblem('')).toBe('is required');
    expect(memberNameProblem('Alice')).toMatch(/lower-case letters/);
    expect(memberNameProblem('a:b')).toMatch(/lower-case letters/);
    expect(memberNameProblem('a'.repeat(64))).toMatch(/longer than 63/);
    expect(memberUserName('team-a', 'alice')).toBe('nodeless:tenant:team-a:alice');
    expect(credentialGroup('team-a', 'c1')).toBe('nodeless:tenant:team-a:credential:c1');
  });
});

describe('certificate request', () => {
  it('is a signed PKCS#10 request whose subject is the identity, with its own key', () => {
    const r = certificateRequest('nodeless:tenant:team-a:alice', ['g1', 'g2']);
    const csr = forge.pki.certificationRequestFromPem(r.requestPem);
    expect(csr.verify()).toBe(true);
    expect(csr.subject.getField('CN')?.value).toBe('nodeless:tenant:team-a:alice');
    expect(csr.subject.attributes.filter((a) => a.shortName === 'O').map((a) => a.value)).toEqual([
      'g1',
      'g2',
    ]);
    expect(r.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const key = forge.pki.privateKeyFromPem(r.keyPem);
    const pub = csr.publicKey as forge.pki.rsa.PublicKey;
    expect(pub.n.equals(key.n)).toBe(true);
    expect(certificateRequest('u', []).keyPem).not.toBe(r.keyPem);
  });
});
