import { describe, expect, it } from 'vitest';
import type { HostView } from '@nodeless/backend/api';
import {
  describeAuth,
  initialHostForm,
  localFieldErrors,
  storedSecrets,
  toHostFields,
  destinationChanged,
} from './host-form-model.ts';

const stored: HostView = {
  id: 'h1',
  clusterId: 'c1',
  address: 'node1.lan',
  port: 2222,
  user: 'ops',
  role: 'agent',
  auth: { kind: 'key', keyPath: '/home/ops/.ssh/id_rsa', passphraseSet: true },
  sudo: { kind: 'password', passwordSet: true },
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
};

describe('host form model', () => {
  it('starts a new host on port 22 as root with the suggested role', () => {
    const f = initialHostForm(undefined, 'server');
    expect(f).toMatchObject({
      port: '22',
      user: 'root',
      role: 'server',
      authKind: 'key',
      sudoKind: 'none',
    });
  });

  it('prefills an edited host but never its secrets', () => {
    const f = initialHostForm(stored, 'server');
    expect(f).toMatchObject({
      address: 'node1.lan',
      port: '2222',
      user: 'ops',
      role: 'agent',
      keyPath: '/home/ops/.ssh/id_rsa',
    });
    expect([f.passphrase, f.password, f.sudoPassword]).toEqual(['', '', '']);
    expect(storedSecrets(stored)).toEqual({
      passphrase: true,
      password: false,
      sudoPassword: true,
    });
  });

  it('omits empty secrets on edit so the stored ones are kept', () => {
    const input = toHostFields(initialHostForm(stored, 'server'), true);
    expect(input.auth).toEqual({ kind: 'key', keyPath: '/home/ops/.ssh/id_rsa' });
    expect(input.sudo).toEqual({ kind: 'password' });
    expect(input.port).toBe(2222);
  });

  it('sends an empty passphrase only when the user asked to forget it', () => {
    const f = { ...initialHostForm(stored, 'server'), clearPassphrase: true };
    expect(toHostFields(f, true).auth).toEqual({
      kind: 'key',
      keyPath: '/home/ops/.ssh/id_rsa',
      passphrase: '',
    });
    expect(toHostFields(f, false).auth).toEqual({ kind: 'key', keyPath: '/home/ops/.ssh/id_rsa' });
  });

  it('sends typed secrets and trims the address and user', () => {
    const f = {
      ...initialHostForm(undefined, 'agent'),
      address: ' 10.0.0.9 ',
      user: ' admin ',
      authKind: 'password' as const,
      password: ' s3cret ',
      sudoKind: 'password' as const,
      sudoPassword: 'x',
    };
    const input = toHostFields(f, false);
    expect(input).toMatchObject({ address: '10.0.0.9', user: 'admin', port: 22, role: 'agent' });
    // Secrets are sent exactly as typed: leading/trailing spaces may be part of a password.
    expect(input.auth).toEqual({ kind: 'password', password: ' s3cret ' });
    expect(input.sudo).toEqual({ kind: 'password', password: 'x' });
  });

  it('drops fields of other auth kinds (a key path is not sent with ssh-agent)', () => {
    const f = {
      ...initialHostForm(stored, 'server'),
      authKind: 'agent' as const,
      sudoKind: 'none' as const,
    };
    const input = toHostFields(f, true);
    expect(input.auth).toEqual({ kind: 'agent' });
    expect(input.sudo).toEqual({ kind: 'none' });
  });

  it('flags a non-numeric port locally instead of sending 0 or NaN', () => {
    expect(
      localFieldErrors({ ...initialHostForm(undefined, 'server'), port: '22a' }),
    ).toHaveProperty('port');
    expect(localFieldErrors({ ...initialHostForm(undefined, 'server'), port: '' })).toHaveProperty(
      'port',
    );
    // Range is the backend's call (single source of validation): 70000 passes locally.
    expect(localFieldErrors({ ...initialHostForm(undefined, 'server'), port: '70000' })).toEqual(
      {},
    );
  });

  it('describes stored auth without revealing anything secret', () => {
    expect(describeAuth(stored.auth)).toBe('Key /home/ops/.ssh/id_rsa (passphrase stored)');
    expect(describeAuth({ kind: 'password', passwordSet: true })).toBe('Password (stored)');
    expect(describeAuth({ kind: 'agent' })).toBe('SSH agent');
  });

  it('tells when the form points at another server, port or user (secrets must be re-entered)', () => {
    const form = initialHostForm(stored, 'server');
    expect(destinationChanged(form, stored)).toBe(false);
    expect(destinationChanged({ ...form, role: 'server', password: 'x' }, stored)).toBe(false);
    expect(destinationChanged({ ...form, address: 'node2.lan' }, stored)).toBe(true);
    expect(destinationChanged({ ...form, port: '22' }, stored)).toBe(true);
    expect(destinationChanged({ ...form, user: 'root' }, stored)).toBe(true);
    expect(destinationChanged(form, undefined)).toBe(false);
  });
});
