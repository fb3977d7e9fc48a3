import { describe, expect, it } from 'vitest';
import { clearAddHostRequest, peekAddHostRequest, requestAddHost } from './add-machine-intent.ts';

describe('the add-hosts request', () => {
  it('is seen by the cluster it names until served', () => {
    requestAddHost({ clusterId: 'c1', from: '#/clusters/c1/workloads/Deployment/ml/trainer' });
    expect(peekAddHostRequest('c2')).toBeUndefined();
    const request = peekAddHostRequest('c1');
    expect(request).toEqual({
      clusterId: 'c1',
      from: '#/clusters/c1/workloads/Deployment/ml/trainer',
    });
    // A render that runs twice sees it twice; served, it is gone.
    expect(peekAddHostRequest('c1')).toBe(request);
    if (request) clearAddHostRequest(request);
    expect(peekAddHostRequest('c1')).toBeUndefined();
  });

  it('is not cleared by serving an older one', () => {
    const older = { clusterId: 'c1', from: '#a' };
    requestAddHost({ clusterId: 'c1', from: '#b' });
    clearAddHostRequest(older);
    expect(peekAddHostRequest('c1')?.from).toBe('#b');
  });
});
