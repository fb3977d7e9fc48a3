import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkHostAndOrigin,
  parseCookies,
  presentedToken,
  tokenCookie,
  tokenMatches,
} from './guard.ts';
import { contentTypeOf, resolveStatic } from './static-files.ts';

describe('checkHostAndOrigin', () => {
  it.each([
    [{ host: '127.0.0.1:4000' }],
    [{ host: 'localhost:4000' }],
    [{ host: 'LOCALHOST:4000' }],
    [{ host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000' }],
    [{ host: '127.0.0.1:4000', origin: 'http://localhost:4000' }],
  ])('accepts %j', (headers) => {
    expect(checkHostAndOrigin(headers, 4000)).toBeNull();
  });

  it.each([
    [{}],
    [{ host: 'evil.example:4000' }],
    [{ host: '127.0.0.1' }],
    [{ host: '127.0.0.1:4001' }],
    [{ host: '127.0.0.1:4000.evil.example' }],
    [{ host: '127.0.0.1:4000', origin: 'http://evil.example' }],
    [{ host: '127.0.0.1:4000', origin: 'https://127.0.0.1:4000' }],
    [{ host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4001' }],
    [{ host: '127.0.0.1:4000', origin: 'null' }],
  ])('refuses %j', (headers) => {
    expect(checkHostAndOrigin(headers, 4000)).toMatch(/not allowed/);
  });
});

describe('tokens', () => {
  const token = 'T0k3n-abc_DEF';

  it('matches only the exact token, whatever the length of the guess', () => {
    expect(tokenMatches(token, token)).toBe(true);
    for (const wrong of [
      undefined,
      '',
      'x',
      token.slice(0, -1),
      `${token}x`,
      token.toLowerCase(),
    ]) {
      expect(tokenMatches(wrong, token)).toBe(false);
    }
  });

  it('reads Bearer first, then the cookie', () => {
    expect(presentedToken({ authorization: `Bearer ${token}` })).toBe(token);
    expect(presentedToken({ authorization: `bearer  ${token} ` })).toBe(token);
    expect(presentedToken({ cookie: `a=1; nodeless_token=${token}; b=2` })).toBe(token);
    expect(presentedToken({ authorization: 'Basic abc', cookie: `nodeless_token=${token}` })).toBe(
      undefined,
    );
    expect(presentedToken({})).toBe(undefined);
  });

  it('parses cookies leniently and keeps the first of duplicates', () => {
    expect(parseCookies('a=1;b = 2; =x; c; a=3')).toEqual({ a: '1', b: '2' });
  });

  it('sets an HttpOnly, SameSite=Strict cookie for the whole site', () => {
    expect(tokenCookie(token)).toBe(`nodeless_token=${token}; HttpOnly; SameSite=Strict; Path=/`);
  });
});

describe('static files', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-static-'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'assets', 'a.js'), '1');
  const outside = path.join(path.dirname(root), `${path.basename(root)}-secret.txt`);
  fs.writeFileSync(outside, 'secret');
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { force: true });
  });

  it('resolves files inside the root', () => {
    expect(resolveStatic(root, '/assets/a.js')).toBe(path.join(root, 'assets', 'a.js'));
    expect(resolveStatic(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveStatic(root, '/assets')).toBeUndefined();
    expect(resolveStatic(root, '/missing.js')).toBeUndefined();
  });

  it.each([
    `/../${path.basename(outside)}`,
    `/%2e%2e/${path.basename(outside)}`,
    `/assets/..%2f..%2f${path.basename(outside)}`,
    '/index.html%00.js',
    '/%E0%A4%A',
  ])('never escapes the root: %s', (urlPath) => {
    expect(resolveStatic(root, urlPath)).toBeUndefined();
  });

  it('knows the content types the renderer build uses', () => {
    expect(contentTypeOf('x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('a.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('a.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('a.woff2')).toBe('font/woff2');
    expect(contentTypeOf('a.unknown')).toBe('application/octet-stream');
  });
});
