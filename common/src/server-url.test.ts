import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './csp.ts';
import { serverUrl } from './server-url.ts';

describe('server URL', () => {
  it('is https://<address>:6443, IPv6 literals in brackets', () => {
    expect(serverUrl('10.0.0.5')).toBe('https://10.0.0.5:6443');
    expect(serverUrl('node-1.lan')).toBe('https://node-1.lan:6443');
    expect(serverUrl('fd00::5')).toBe('https://[fd00::5]:6443');
    expect(serverUrl('[fd00::5]')).toBe('https://[fd00::5]:6443');
    expect(serverUrl('10.0.0.5', 16443)).toBe('https://10.0.0.5:16443');
  });
});

describe('CSP', () => {
  it('allows only our own origin, no framing, no inline scripts', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
  });
});
