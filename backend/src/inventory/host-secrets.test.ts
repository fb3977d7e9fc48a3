import { describe, expect, it } from 'vitest';
import type { HostRow } from '../store/hosts.ts';
import { planHostSecrets } from './host-secrets.ts';
import type { FieldErrors } from './types.ts';

const previous = (over: Partial<HostRow>): HostRow => ({
  id: 'h',
  cluster_id: 'c',
  address: 'a',
  port: 22,
  user: 'u',
  role: 'agent',
  auth_kind: 'password',
  key_path: null,
  auth_secret_id: 'auth-1',
  sudo_kind: 'password',
  sudo_secret_id: 'sudo-1',
  created_at: '',
  updated_at: '',
  ...over,
});

describe('planHostSecrets', () => {
  it('stores new values and requires passwords on add', () => {
    const errors: FieldErrors = {};
    expect(
      planHostSecrets(
        { kind: 'password', password: 'p1' },
        { kind: 'password' },
        undefined,
        errors,
      ),
    ).toEqual({ auth: { store: 'p1' }, sudo: null });
    expect(errors).toEqual({ 'sudo.password': 'is required' });
  });

  it('keeps stored secrets when the update omits them and the kind is unchanged', () => {
    const errors: FieldErrors = {};
    const plan = planHostSecrets({ kind: 'password' }, { kind: 'password' }, previous({}), errors);
    expect(plan).toEqual({ auth: { keep: 'auth-1' }, sudo: { keep: 'sudo-1' } });
    expect(errors).toEqual({});
  });

  it('does not carry a secret over to another kind', () => {
    const errors: FieldErrors = {};
    const plan = planHostSecrets(
      { kind: 'key', keyPath: '/k' },
      { kind: 'none' },
      previous({}),
      errors,
    );
    expect(plan).toEqual({ auth: null, sudo: null });
    const toPassword = planHostSecrets(
      { kind: 'password' },
      { kind: 'none' },
      previous({ auth_kind: 'key', auth_secret_id: 'phrase-1' }),
      errors,
    );
    expect(toPassword.auth).toBeNull();
    expect(errors).toEqual({ 'auth.password': 'is required' });
  });

  it('clears a passphrase given as an empty string and keeps it when omitted', () => {
    const keyHost = previous({ auth_kind: 'key', auth_secret_id: 'phrase-1' });
    const errors: FieldErrors = {};
    expect(
      planHostSecrets(
        { kind: 'key', keyPath: '/k', passphrase: '' },
        { kind: 'none' },
        keyHost,
        errors,
      ).auth,
    ).toBeNull();
    expect(
      planHostSecrets({ kind: 'key', keyPath: '/k' }, { kind: 'none' }, keyHost, errors).auth,
    ).toEqual({ keep: 'phrase-1' });
    expect(errors).toEqual({});
  });
});
