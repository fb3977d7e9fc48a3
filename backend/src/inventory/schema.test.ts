import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fieldErrorsFromIssues } from '../api/field-errors.ts';
import {
  addHostInput,
  createClusterInput,
  deleteClusterInput,
  renameClusterInput,
  updateHostInput,
} from './schema.ts';

const ID = '0b4f3c3e-8d0e-4a8c-9a55-3f1f4f0c2a11';

/** First message per dotted path, exactly as the API reports it. */
function fieldErrors(schema: z.ZodType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  return result.success ? {} : fieldErrorsFromIssues(result.error.issues);
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
    expect(addHostInput.parse({ ...goodHost, port: 2222 }).port).toBe(2222);
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
    [`${'a.'.repeat(127)}ab`, 'must be at most 253 characters'],
    [`fe80::1%${'z'.repeat(1024 * 1024)}`, 'must be at most 253 characters'],
    [`fe80::1%${'z'.repeat(33)}`, 'must be a hostname, IPv4 or IPv6 address'],
    ['fe80::1%eth0;rm', 'must be a hostname, IPv4 or IPv6 address'],
  ])('address %j → %s', (address, message) => {
    expect(fieldErrors(addHostInput, { ...goodHost, address })).toEqual({ address: message });
  });

  it('accepts a bounded IPv6 zone id and a 253-character name', () => {
    expect(fieldErrors(addHostInput, { ...goodHost, address: 'fe80::1%eth0' })).toEqual({});
    const longest = `${'a.'.repeat(125)}abc`;
    expect(longest).toHaveLength(253);
    expect(fieldErrors(addHostInput, { ...goodHost, address: longest })).toEqual({});
  });

  it.each([
    [0, 'must be between 1 and 65535'],
    [65536, 'must be between 1 and 65535'],
    [-1, 'must be between 1 and 65535'],
    ['abc', 'must be a whole number'],
    [2.5, 'must be a whole number'],
    // z.coerce accepted all of these (true → 1, [2222] → 2222, "0x16" → 22).
    [true, 'must be a whole number'],
    [[2222], 'must be a whole number'],
    ['0x16', 'must be a whole number'],
    ['2222', 'must be a whole number'],
    [null, 'is required'],
  ])('port %j → %s', (port, message) => {
    expect(fieldErrors(addHostInput, { ...goodHost, port })).toEqual({ port: message });
  });

  it('rejects unknown fields, naming each, at every level', () => {
    expect(fieldErrors(addHostInput, { ...goodHost, extra: 1 })).toEqual({
      extra: 'is not a known field',
    });
    expect(
      fieldErrors(addHostInput, { ...goodHost, auth: { kind: 'agent', keyPath: '/k' } }),
    ).toEqual({ 'auth.keyPath': 'is not a known field' });
    expect(
      fieldErrors(addHostInput, { ...goodHost, sudo: { kind: 'none', password: 'x' } }),
    ).toEqual({ 'sudo.password': 'is not a known field' });
    const { clusterId: _c, ...fields } = goodHost;
    expect(fieldErrors(updateHostInput, { ...fields, id: ID, clusterId: ID })).toEqual({
      clusterId: 'is not a known field',
    });
    expect(fieldErrors(createClusterInput, { name: 'a', hosts: [] })).toEqual({
      hosts: 'is not a known field',
    });
    expect(fieldErrors(renameClusterInput, { id: ID, name: 'a', x: 1 })).toEqual({
      x: 'is not a known field',
    });
    expect(fieldErrors(deleteClusterInput, { id: ID, force: true })).toEqual({
      force: 'is not a known field',
    });
  });

  it('key paths are bounded', () => {
    expect(
      fieldErrors(addHostInput, {
        ...goodHost,
        auth: { kind: 'key', keyPath: `/${'k'.repeat(5000)}` },
      }),
    ).toEqual({ 'auth.keyPath': 'is too long' });
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
