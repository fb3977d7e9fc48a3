import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  addHostInput,
  createClusterInput,
  deleteClusterInput,
  renameClusterInput,
  updateHostInput,
} from './schema.ts';

const ID = '0b4f3c3e-8d0e-4a8c-9a55-3f1f4f0c2a11';

/** First message per dotted path, as the API reports it. */
function fieldErrors(schema: z.ZodType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const out: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.');
    out[key] ??= issue.message;
  }
  return out;
}

const goodHost = {
  clusterId: ID,
  address: 'node-1.example.com',
  port: 22,
  user: 'root',
  role: 'server',
  auth: { kind: 'agent' },
  sudo: { kind: 'none' },
};

describe('cluster names', () => {
  it.each([
    [undefined, 'is required'],
    ['', 'is required'],
    ['   ', 'is required'],
    [42, 'must be text'],
    ['Prod', 'use lowercase letters, digits and "-" (like a-cluster-1)'],
    ['-prod', 'use lowercase letters, digits and "-" (like a-cluster-1)'],
    ['prod-', 'use lowercase letters, digits and "-" (like a-cluster-1)'],
    ['a'.repeat(64), 'must be at most 63 characters'],
  ])('%j → name: %s', (name, message) => {
    expect(fieldErrors(createClusterInput, { name })).toEqual({ name: message });
  });

  it('accepts and trims a valid name', () => {
    expect(createClusterInput.parse({ name: ' prod-1 ' })).toEqual({ name: 'prod-1' });
  });

  it('rename needs an API id', () => {
    expect(fieldErrors(renameClusterInput, { id: 'nope', name: 'a' })).toEqual({
      id: 'must be an id returned by the API',
    });
    expect(fieldErrors(renameClusterInput, { name: 'a' })).toEqual({ id: 'is required' });
  });

  it('delete takes an optional boolean confirm', () => {
    expect(deleteClusterInput.parse({ id: ID })).toEqual({ id: ID });
    expect(fieldErrors(deleteClusterInput, { id: ID, confirm: 'yes' })).toHaveProperty('confirm');
  });
});

describe('host fields', () => {
  it('accepts a valid host and defaults the port to 22', () => {
    const { port: _port, ...noPort } = goodHost;
    expect(addHostInput.parse(noPort).port).toBe(22);
    expect(addHostInput.parse({ ...goodHost, port: '2222' }).port).toBe(2222);
  });

  it.each(['10.0.0.1', '::1', 'fe80::1', 'localhost', 'a.b-c.example'])(
    'address %s is accepted',
    (address) => {
      expect(fieldErrors(addHostInput, { ...goodHost, address })).toEqual({});
    },
  );

  it.each([
    ['', 'is required'],
    ['has space', 'must be a hostname, IPv4 or IPv6 address'],
    ['-bad.example', 'must be a hostname, IPv4 or IPv6 address'],
    ['under_score', 'must be a hostname, IPv4 or IPv6 address'],
    [`${'a'.repeat(64)}.example`, 'must be a hostname, IPv4 or IPv6 address'],
  ])('address %j → %s', (address, message) => {
    expect(fieldErrors(addHostInput, { ...goodHost, address })).toEqual({ address: message });
  });

  it.each([
    [0, 'must be between 1 and 65535'],
    [65536, 'must be between 1 and 65535'],
    [-1, 'must be between 1 and 65535'],
    ['abc', 'must be a number'],
    [2.5, 'must be a whole number'],
  ])('port %j → %s', (port, message) => {
    expect(fieldErrors(addHostInput, { ...goodHost, port })).toEqual({ port: message });
  });

  it.each([
    ['', 'is required'],
    ['9lives', 'is not a valid Unix user name'],
    ['a'.repeat(33), 'must be at most 32 characters'],
  ])('user %j → %s', (user, message) => {
    expect(fieldErrors(addHostInput, { ...goodHost, user })).toEqual({ user: message });
  });

  it('role must be server or agent', () => {
    expect(fieldErrors(addHostInput, { ...goodHost, role: 'worker' })).toEqual({
      role: 'must be one of: server, agent',
    });
  });

  it('auth kinds and their fields', () => {
    expect(fieldErrors(addHostInput, { ...goodHost, auth: { kind: 'magic' } })).toEqual({
      'auth.kind': 'must be one of: key, agent, password',
    });
    expect(fieldErrors(addHostInput, { ...goodHost, auth: { kind: 'key' } })).toEqual({
      'auth.keyPath': 'is required',
    });
    expect(
      fieldErrors(addHostInput, {
        ...goodHost,
        auth: { kind: 'key', keyPath: '/k', passphrase: 'x'.repeat(4097) },
      }),
    ).toEqual({ 'auth.passphrase': 'is too long' });
    expect(
      fieldErrors(addHostInput, { ...goodHost, auth: { kind: 'password', password: '' } }),
    ).toEqual({ 'auth.password': 'is required' });
    // Omitted password is allowed by the schema: on update it means "keep the stored one".
    expect(fieldErrors(addHostInput, { ...goodHost, auth: { kind: 'password' } })).toEqual({});
  });

  it('sudo kinds', () => {
    expect(fieldErrors(addHostInput, { ...goodHost, sudo: { kind: 'always' } })).toEqual({
      'sudo.kind': 'must be one of: none, passwordless, password',
    });
    expect(
      fieldErrors(addHostInput, { ...goodHost, sudo: { kind: 'password', password: '' } }),
    ).toEqual({ 'sudo.password': 'is required' });
  });

  it('reports every bad field at once, each under its own path', () => {
    const errors = fieldErrors(addHostInput, {
      clusterId: 'x',
      address: 'a b',
      port: 70000,
      user: 'root',
      role: 'agent',
    });
    expect(errors).toEqual({
      clusterId: 'must be an id returned by the API',
      address: 'must be a hostname, IPv4 or IPv6 address',
      port: 'must be between 1 and 65535',
      auth: 'is required',
      sudo: 'is required',
    });
  });

  it('update carries the host id instead of the cluster id', () => {
    const { clusterId: _c, ...fields } = goodHost;
    expect(fieldErrors(updateHostInput, { ...fields, id: ID })).toEqual({});
    expect(fieldErrors(updateHostInput, fields)).toEqual({ id: 'is required' });
  });
});
