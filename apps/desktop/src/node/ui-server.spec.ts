import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '@dirconn/core';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.js';
import { startUiServer, type RunningUiServer } from './ui-server.js';
import { isLoopbackAddress, parseHostHeader } from './ui-security.js';

const logged: string[] = [];
const logger: Logger = {
  debug: (m, f) => logged.push(`${m} ${JSON.stringify(f)}`),
  info: (m, f) => logged.push(`${m} ${JSON.stringify(f)}`),
  warn: (m, f) => logged.push(`${m} ${JSON.stringify(f)}`),
  error: (m, f) => logged.push(`${m} ${JSON.stringify(f)}`),
};

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request (node's fetch would not let us forge Host). */
function call(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const calls: { method: string; payload: unknown }[] = [];
let server: RunningUiServer | null = null;

async function start(rendererDir: string | null = null): Promise<RunningUiServer> {
  server = await startUiServer({
    rendererDir,
    logger,
    call: async (method, payload) => {
      calls.push({ method, payload });
      return { ok: true, value: { method } };
    },
  });
  return server;
}

/** Trades the token; returns the Cookie header to send. */
async function signIn(s: RunningUiServer): Promise<string> {
  const url = new URL(s.loginUrl);
  const reply = await call(s.port, { path: `${url.pathname}${url.search}`, headers: { host: url.host } });
  expect(reply.status).toBe(303);
  const setCookie = String(reply.headers['set-cookie']);
  return setCookie.split(';')[0]!;
}

afterEach(async () => {
  await server?.close();
  server = null;
  calls.length = 0;
});

describe('dirconn ui server: security', () => {
  it('listens on 127.0.0.1 and prints a URL with a one-time token', async () => {
    const s = await start();
    expect(s.origin).toBe(`http://127.0.0.1:${s.port}`);
    expect(s.loginUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${s.port}/auth\\?token=[A-Za-z0-9_-]{43}$`));
  });

  it('refuses a non-loopback address without TLS before listening', async () => {
    await expect(startUiServer({ rendererDir: null, logger, call: async () => ({ ok: true, value: null }), listen: '0.0.0.0' })).rejects.toMatchObject({ code: 'usage' });
    await expect(startUiServer({ rendererDir: null, logger, call: async () => ({ ok: true, value: null }), listen: '192.0.2.10' })).rejects.toThrow(/--tls-cert/);
  });

  it('answers 401 to API calls and pages without a session', async () => {
    const s = await start();
    const host = `127.0.0.1:${s.port}`;
    const api = await call(s.port, { method: 'POST', path: '/api/status', headers: { host, origin: s.origin, 'content-type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(401);
    expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: { code: 'ui.unauthorized' } });
    expect((await call(s.port, { path: '/', headers: { host } })).status).toBe(401);
    const forged = await call(s.port, { method: 'POST', path: '/api/status', headers: { host, origin: s.origin, 'content-type': 'application/json', cookie: `dirconn_session_${s.port}=forged` }, body: '{}' });
    expect(forged.status).toBe(401);
    expect(calls).toEqual([]);
  });

  it('refuses a missing or wrong token, and a token used twice', async () => {
    const s = await start();
    const host = `127.0.0.1:${s.port}`;
    expect((await call(s.port, { path: '/auth', headers: { host } })).status).toBe(401);
    expect((await call(s.port, { path: '/auth?token=wrong', headers: { host } })).status).toBe(401);
    const token = new URL(s.loginUrl).searchParams.get('token')!;
    const oneCharOff = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await call(s.port, { path: `/auth?token=${oneCharOff}`, headers: { host } })).status).toBe(401);
    await signIn(s);
    expect((await call(s.port, { path: `/auth?token=${token}`, headers: { host } })).status).toBe(401);
  });

  it('sets an HttpOnly SameSite=Strict cookie and serves the API with it', async () => {
    const s = await start();
    const url = new URL(s.loginUrl);
    const reply = await call(s.port, { path: `${url.pathname}${url.search}`, headers: { host: url.host } });
    expect(reply.headers['location']).toBe('/');
    expect(String(reply.headers['set-cookie'])).toMatch(/^dirconn_session_\d+=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
    const cookie = String(reply.headers['set-cookie']).split(';')[0]!;
    const api = await call(s.port, { method: 'POST', path: '/api/status', headers: { host: url.host, origin: s.origin, 'content-type': 'application/json', cookie }, body: '{"a":1}' });
    expect(api.status).toBe(200);
    expect(JSON.parse(api.body)).toEqual({ ok: true, value: { method: 'status' } });
    expect(calls).toEqual([{ method: 'status', payload: { a: 1 } }]);
    expect(logged.join('\n')).not.toContain(url.searchParams.get('token')!);
    expect(logged.join('\n')).not.toContain(cookie.split('=')[1]!);
  });

  it.each([
    ['a foreign host name (DNS rebinding)', 'evil.example.com'],
    ['the right name on another port', '127.0.0.1:1'],
    ['no port where one is needed', '127.0.0.1'],
    ['a garbage host', 'a b'],
  ])('refuses %s in Host, even with a valid session', async (_what, host) => {
    const s = await start();
    const cookie = await signIn(s);
    const reply = await call(s.port, { method: 'POST', path: '/api/status', headers: { host, origin: s.origin, 'content-type': 'application/json', cookie }, body: '{}' });
    expect(reply.status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('accepts localhost and 127.0.0.1 as Host', async () => {
    const s = await start();
    const cookie = await signIn(s);
    for (const name of ['localhost', '127.0.0.1']) {
      const host = `${name}:${s.port}`;
      const reply = await call(s.port, { method: 'POST', path: '/api/about', headers: { host, origin: `http://${host}`, 'content-type': 'application/json', cookie }, body: '{}' });
      expect(reply.status).toBe(200);
    }
  });

  it.each([
    ['a foreign Origin', 'https://evil.example.com'],
    ['a null Origin', 'null'],
    ['the same host on another scheme', 'https://127.0.0.1'],
  ])('refuses %s, even with a valid session', async (_what, origin) => {
    const s = await start();
    const cookie = await signIn(s);
    const reply = await call(s.port, { method: 'POST', path: '/api/status', headers: { host: `127.0.0.1:${s.port}`, origin, 'content-type': 'application/json', cookie }, body: '{}' });
    expect(reply.status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('refuses an API POST without Origin and one that is not JSON (no form posts)', async () => {
    const s = await start();
    const cookie = await signIn(s);
    const host = `127.0.0.1:${s.port}`;
    expect((await call(s.port, { method: 'POST', path: '/api/status', headers: { host, 'content-type': 'application/json', cookie }, body: '{}' })).status).toBe(403);
    expect((await call(s.port, { method: 'POST', path: '/api/status', headers: { host, origin: s.origin, 'content-type': 'application/x-www-form-urlencoded', cookie }, body: 'a=1' })).status).toBe(415);
    expect((await call(s.port, { method: 'POST', path: '/api/status', headers: { host, origin: s.origin, 'content-type': 'application/json', cookie }, body: '{' })).status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('sends the strict CSP and no-store on every response', async () => {
    const s = await start();
    const reply = await call(s.port, { path: '/', headers: { host: `127.0.0.1:${s.port}` } });
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['cache-control']).toBe('no-store');
  });
});

describe('dirconn ui server: files', () => {
  it('serves a placeholder page when the renderer is not built', async () => {
    const s = await start(null);
    const cookie = await signIn(s);
    const reply = await call(s.port, { path: '/', headers: { host: `127.0.0.1:${s.port}`, cookie } });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('has not been built');
  });

  it('serves the built renderer, falls back to index.html, and never leaves its folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dirconn-renderer-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(dir, '.env'), 'SECRET=1');
    const s = await start(dir);
    const cookie = await signIn(s);
    const get = (p: string) => call(s.port, { path: p, headers: { host: `127.0.0.1:${s.port}`, cookie } });
    expect((await get('/')).body).toContain('<title>app</title>');
    const js = await get('/assets/app.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/settings/directory')).body).toContain('<title>app</title>');
    expect((await get('/assets/missing.js')).status).toBe(404);
    expect((await get('/.env')).status).toBe(404);
    // The URL parser resolves the dots first: this is /etc/passwd inside the folder → the app's page.
    expect((await get('/%2e%2e/%2e%2e/etc/passwd')).body).toContain('<title>app</title>');
    expect((await get('/assets/..%2f..%2fpackage.json')).status).toBe(404);
  });
});

describe('host parsing', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.2', false],
    ['128.0.0.1', false],
  ])('%s is loopback: %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });

  it('parses names, IPv6 literals and ports', () => {
    expect(parseHostHeader('LocalHost:8080')).toEqual({ name: 'localhost', port: 8080 });
    expect(parseHostHeader('[::1]:99')).toEqual({ name: '[::1]', port: 99 });
    expect(parseHostHeader('example.com')).toEqual({ name: 'example.com', port: null });
    expect(parseHostHeader('a:b:c')).toBeNull();
  });
});
