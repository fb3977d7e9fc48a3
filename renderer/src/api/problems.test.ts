import { describe, expect, it } from 'vitest';
import { fieldMessage, toProblem } from './problems.ts';

/** Shaped like TRPCClientError: an Error with `data.code` and our `data.fieldErrors`. */
function apiError(
  code: string,
  message: string,
  fieldErrors: Record<string, string> | null = null,
): Error {
  return Object.assign(new Error(message), { data: { code, httpStatus: 0, fieldErrors } });
}

describe('toProblem', () => {
  it('keeps field errors of a 400 and points the user at them', () => {
    const p = toProblem(
      apiError('BAD_REQUEST', 'port: must be between 1 and 65535', {
        port: 'must be between 1 and 65535',
      }),
    );
    expect(p.kind).toBe('validation');
    expect(p.fieldErrors).toEqual({ port: 'must be between 1 and 65535' });
    expect(p.message).toMatch(/next to them/);
  });

  it('lists the blockers of a 412 apart from its lead sentence', () => {
    const err = Object.assign(new Error('The install cannot start yet: a: no KVM. b: port busy.'), {
      data: { code: 'PRECONDITION_FAILED', blockers: ['a: no KVM.', 'b: port busy.'] },
    });
    const p = toProblem(err);
    expect(p.message).toBe('The install cannot start yet:');
    expect(p.details).toEqual(['a: no KVM.', 'b: port busy.']);
  });

  it('says which machine failed on a 502 from the backend', () => {
    const p = toProblem(apiError('BAD_GATEWAY', 'Cannot reach 10.0.0.5:22. Check the address.'));
    expect(p).toMatchObject({
      kind: 'host',
      message: 'Cannot reach 10.0.0.5:22. Check the address.',
    });
  });

  it('maps 412 to a confirmation request', () => {
    expect(toProblem(apiError('PRECONDITION_FAILED', 'cluster has 2 hosts')).kind).toBe(
      'needs-confirmation',
    );
  });

  it('explains a lost session and what to do', () => {
    const p = toProblem(apiError('UNAUTHORIZED', 'Unauthorized'));
    expect(p.kind).toBe('unauthorized');
    expect(p.message).toMatch(/Open the link/);
  });

  it('treats an error without an API body as the backend being unreachable', () => {
    const p = toProblem(new TypeError('Failed to fetch'));
    expect(p.kind).toBe('offline');
    expect(p.message).toMatch(/Cannot reach the Nodeless backend/);
  });

  it('never shows a stack trace or raw internals', () => {
    const err = apiError(
      'INTERNAL_SERVER_ERROR',
      'TypeError: x is undefined\n    at foo (/srv/a.ts:1:2)',
    );
    const p = toProblem(err);
    expect(p.kind).toBe('unexpected');
    expect(p.message).not.toMatch(/TypeError|a\.ts/);
    const bad = toProblem(apiError('BAD_REQUEST', 'Error at handler (/srv/x.ts:10:5)'));
    expect(bad.message).not.toMatch(/x\.ts/);
  });

  it('gives the reference of a 500 so the user can find it in the log', () => {
    const err = Object.assign(new Error('Something went wrong inside Nodeless'), {
      data: { code: 'INTERNAL_SERVER_ERROR', correlationId: '0a1b2c3d4e5f' },
    });
    expect(toProblem(err).message).toMatch(/log has the details.*\(Reference 0a1b2c3d4e5f\.\)$/);
  });
});

describe('fieldMessage', () => {
  it('prefixes the label to a predicate-only message', () => {
    expect(fieldMessage('Port', 'must be between 1 and 65535')).toBe(
      'Port must be between 1 and 65535',
    );
    expect(fieldMessage('Port', 'port: must be a number')).toBe('Port must be a number');
  });

  it('leaves a full sentence alone, capitalised', () => {
    expect(fieldMessage('Cluster name', 'use lowercase letters')).toBe('Use lowercase letters');
  });
});
