import { describe, expect, it } from 'vitest';
import type { HostRow } from '../store/hosts.ts';
import {
  type HostSecretFields,
  REENTER_SECRET,
  planHostSecrets as planWith,
} from './host-secrets.ts';
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

/** The old call shape: same destination as {@link previous}'s defaults. */
function planHostSecrets(
  auth: HostSecretFields['auth'],
  sudo: HostSecretFields['sudo'],
  before: HostRow | undefined,
  errors: FieldErrors,
  where: Partial<Pick<HostSecretFields, 'address' | 'port' | 'user'>> = {},
) {
  return planWith({ address: 'a', port: 22, user: 'u', auth, sudo, ...where }, before, errors);
}

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

  it.each([{ address: 'b' }, { port: 2222 }, { user: 'other' }])(
    'does not carry stored secrets to another destination (%j): each must be re-entered',
    (where) => {
      const errors: FieldErrors = {};
      const plan = planHostSecrets(
        { kind: 'password' },
        { kind: 'password' },
        previous({}),
        errors,
        where,
      );
      expect(plan).toEqual({ auth: null, sudo: null });
      expect(errors).toEqual({ 'auth.password': REENTER_SECRET, 'sudo.password': REENTER_SECRET });
      const keyErrors: FieldErrors = {};
      const keyHost = previous({ auth_kind: 'key', auth_secret_id: 'phrase-1' });
      const keyPlan = planHostSecrets(
        { kind: 'key', keyPath: '/k' },
        { kind: 'none' },
        keyHost,
        keyErrors,
        where,
      );
      expect(keyPlan.auth).toBeNull();
      expect(keyErrors).toEqual({ 'auth.passphrase': REENTER_SECRET });
    },
  );

  it('accepts a moved host when its secrets are given again (or the passphrase cleared)', () => {
    const errors: FieldErrors = {};
    const moved = { address: 'b' };
    expect(
      planHostSecrets(
        { kind: 'password', password: 'new' },
        { kind: 'password', password: 'sudo-new' },
        previous({}),
        errors,
        moved,
      ),
    ).toEqual({ auth: { store: 'new' }, sudo: { store: 'sudo-new' } });
    const keyHost = previous({ auth_kind: 'key', auth_secret_id: 'phrase-1' });
    expect(
      planHostSecrets(
        { kind: 'key', keyPath: '/k', passphrase: '' },
        { kind: 'none' },
        keyHost,
        errors,
        moved,
      ).auth,
    ).toBeNull();
    expect(errors).toEqual({});
  });
});
