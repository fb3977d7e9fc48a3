import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkCrossSite,
  checkHostAndOrigin,
  parseCookies,
  presentedToken,
  tokenCookie,
  tokenCookieName,
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

  it('reads Bearer first, then the cookie of this launch only', () => {
    const port = 4000;
    expect(presentedToken({ authorization: `Bearer ${token}` }, port)).toEqual({
      token,
      ambient: false,
    });
    expect(presentedToken({ authorization: `bearer  ${token} ` }, port).token).toBe(token);
    expect(presentedToken({ cookie: `a=1; nodeless_token_4000=${token}; b=2` }, port)).toEqual({
      token,
      ambient: true,
    });
    // Another launch's cookie (cookies ignore ports, so the browser sends it here too) and the
    // old port-less name are not ours.
    expect(presentedToken({ cookie: `nodeless_token_4001=${token}` }, port)).toEqual({
      token: undefined,
      ambient: false,
    });
    expect(presentedToken({ cookie: `nodeless_token=${token}` }, port).token).toBeUndefined();
    expect(
      presentedToken({ authorization: 'Basic abc', cookie: `nodeless_token_4000=${token}` }, port),
    ).toEqual({ token: undefined, ambient: false });
    expect(presentedToken({}, port)).toEqual({ token: undefined, ambient: false });
  });

  it('parses cookies leniently and keeps the first of duplicates', () => {
    expect(parseCookies('a=1;b = 2; =x; c; a=3')).toEqual({ a: '1', b: '2' });
  });

  it('sets an HttpOnly, SameSite=Strict cookie for the whole site, named after the port', () => {
    expect(tokenCookieName(4000)).toBe('nodeless_token_4000');
    expect(tokenCookie(token, 4000)).toBe(
      `nodeless_token_4000=${token}; HttpOnly; SameSite=Strict; Path=/`,
    );
  });
});

describe('checkCrossSite', () => {
  const cookie = { token: 'x', ambient: true };
  const bearer = { token: 'x', ambient: false };

  it.each([
    [{ origin: 'http://127.0.0.1:4000' }],
    [{ 'sec-fetch-site': 'same-origin' }],
    [{ 'x-nodeless': '1' }],
  ])('accepts a cookie request that shows our page sent it: %j', (headers) => {
    expect(checkCrossSite(headers, cookie)).toBeNull();
  });

  it.each([
    [{}],
    // Another localhost port is same-site (not same-origin): an <img> there sends the cookie.
    [{ 'sec-fetch-site': 'same-site' }],
    [{ 'sec-fetch-site': 'cross-site' }],
    [{ 'sec-fetch-site': 'none' }],
    [{ 'x-nodeless': '0' }],
  ])('refuses a cookie request without that sign: %j', (headers) => {
    expect(checkCrossSite(headers, cookie)).toMatch(/not sent by the Nodeless page/);
  });

  it('lets Bearer requests through: a browser never adds that header on its own', () => {
    expect(checkCrossSite({ 'sec-fetch-site': 'cross-site' }, bearer)).toBeNull();
    expect(checkCrossSite({}, { token: undefined, ambient: false })).toBeNull();
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
