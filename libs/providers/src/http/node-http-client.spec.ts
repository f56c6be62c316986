import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DirconnError } from '@dirconn/core';
import { NodeHttpClient, bypassesProxy, proxySettingsFromEnv } from './node-http-client.js';

// A private test CA and a server certificate for 127.0.0.1/localhost, valid 2000–2100 (EC P-256).
const TEST_CA = `-----BEGIN CERTIFICATE-----
MIIBaDCCAQ6gAwIBAgICEAAwCgYIKoZIzj0EAwIwGjEYMBYGA1UEAwwPZGlyY29u
biB0ZXN0IENBMCAXDTAwMDEwMTAwMDAwMFoYDzIxMDAwMTAxMDAwMDAwWjAaMRgw
FgYDVQQDDA9kaXJjb25uIHRlc3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AARn+p0oewfmiJtGWurjSqkDugF/llKEFoqOhmYMl2CXQRR3IbpJF73nS9ORuLha
f4fQ/Heo4drpp37xCc/kbXGEo0IwQDAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB
/wQEAwIBBjAdBgNVHQ4EFgQUe7B818jMlrI+OfyRUdvD32dh4ywwCgYIKoZIzj0E
AwIDSAAwRQIgY5CPDrOr3EypuCLCw89jrQzAD5MGkXJftYNZWnrD6owCIQCnPXkd
Ed8yQdQt19pbZn+NWFrILjPad53kJ/KC+Hftqg==
-----END CERTIFICATE-----
`;
const SERVER_CERT = `-----BEGIN CERTIFICATE-----
MIIBnjCCAUSgAwIBAgICEAEwCgYIKoZIzj0EAwIwGjEYMBYGA1UEAwwPZGlyY29u
biB0ZXN0IENBMCAXDTAwMDEwMTAwMDAwMFoYDzIxMDAwMTAxMDAwMDAwWjAUMRIw
EAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARECzHq
m7gMoOJhiMAtY0WLgQ8GmQ3DozQoufxT8Nvkvv/bhik7a6IH8UOZhUbdgSfhuWoY
zjxqHS4MZQOUJ0Soo34wfDAJBgNVHRMEAjAAMBoGA1UdEQQTMBGCCWxvY2FsaG9z
dIcEfwAAATATBgNVHSUEDDAKBggrBgEFBQcDATAfBgNVHSMEGDAWgBR7sHzXyMyW
sj45/JFR28PfZ2HjLDAdBgNVHQ4EFgQUtJZskmFJR4LrvxyGrPppXiYl9HcwCgYI
KoZIzj0EAwIDSAAwRQIhAIMKRPM5GECNuuRx990Pbo94n0Ko4iaWbB1wbRgEADc5
AiBjmnShF87aggNRR015NG1Nj/C4aM2L5dkwMg4xjUF2oA==
-----END CERTIFICATE-----
`;
const SERVER_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgB8kSI2Q2XBxb2jQJ
absqTbpxZBvP/9dBIQkWNnQsgoGhRANCAARECzHqm7gMoOJhiMAtY0WLgQ8GmQ3D
ozQoufxT8Nvkvv/bhik7a6IH8UOZhUbdgSfhuWoYzjxqHS4MZQOUJ0So
-----END PRIVATE KEY-----
`;

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

interface TestServer {
  url: string;
  port: number;
  connections: number;
  handler: Handler;
  close(): Promise<void>;
}

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startServer(secure: boolean): Promise<TestServer> {
  const state: TestServer = {
    url: '',
    port: 0,
    connections: 0,
    handler: (_req, res) => res.end('ok'),
    close: () => Promise.resolve(),
  };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => state.handler(req, res, Buffer.concat(chunks).toString('utf8')));
  };
  const server = secure ? https.createServer({ cert: SERVER_CERT, key: SERVER_KEY }, onRequest) : http.createServer(onRequest);
  server.on(secure ? 'secureConnection' : 'connection', () => state.connections++);
  state.port = await listen(server);
  state.url = `${secure ? 'https' : 'http'}://127.0.0.1:${state.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

interface TestProxy {
  url: string;
  port: number;
  /** Request lines seen: `CONNECT host:port` or `GET http://…`. */
  seen: string[];
  authorizations: (string | undefined)[];
  /** Status to answer CONNECT with (200 = open the tunnel). */
  connectStatus: number;
  close(): Promise<void>;
}

/** A minimal forward proxy: CONNECT tunnels and absolute-URI forwarding. */
async function startProxy(): Promise<TestProxy> {
  const sockets = new Set<net.Socket>();
  const proxy: TestProxy = { url: '', port: 0, seen: [], authorizations: [], connectStatus: 200, close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    proxy.seen.push(`${req.method} ${req.url}`);
    proxy.authorizations.push(req.headers['proxy-authorization']);
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = http.request({ hostname: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    proxy.seen.push(`CONNECT ${req.url}`);
    proxy.authorizations.push(req.headers['proxy-authorization']);
    sockets.add(client);
    client.on('error', () => client.destroy());
    if (proxy.connectStatus !== 200) {
      client.end(`HTTP/1.1 ${proxy.connectStatus} Nope\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
  });
  proxy.port = await listen(server);
  proxy.url = `http://127.0.0.1:${proxy.port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

async function rejection(promise: Promise<unknown>): Promise<DirconnError> {
  try {
    await promise;
  } catch (error) {
    if (DirconnError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const clients: NodeHttpClient[] = [];
function client(options: ConstructorParameters<typeof NodeHttpClient>[0] = {}): NodeHttpClient {
  const created = new NodeHttpClient({ proxy: null, ...options });
  clients.push(created);
  return created;
}

let plain: TestServer;
let secure: TestServer;

beforeAll(async () => {
  plain = await startServer(false);
  secure = await startServer(true);
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  plain.handler = (_req, res) => res.end('ok');
  secure.handler = (_req, res) => res.end('ok');
});

afterAll(async () => {
  await plain.close();
  await secure.close();
});

describe('NodeHttpClient over http', () => {
  it('sends method, headers and body, and returns status, lower-cased headers and body', async () => {
    let seen: { method?: string; url?: string; headers?: http.IncomingHttpHeaders; body?: string } = {};
    plain.handler = (req, res, body) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Thing': 'A' });
      res.end('{"é":1}');
    };
    const response = await client().send({
      method: 'POST',
      url: `${plain.url}/api/public/organization/import?x=1`,
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
      body: '{"name":"Zoë"}',
    });
    expect(response).toEqual({ status: 201, headers: expect.objectContaining({ 'content-type': 'application/json', 'x-thing': 'A' }), body: '{"é":1}' });
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/api/public/organization/import?x=1');
    expect(seen.headers?.['authorization']).toBe('Bearer t');
    expect(seen.headers?.['content-length']).toBe(String(Buffer.byteLength('{"name":"Zoë"}')));
    expect(seen.body).toBe('{"name":"Zoë"}');
  });

  it('resolves for error statuses', async () => {
    plain.handler = (_req, res) => {
      res.writeHead(503, { 'Retry-After': '5' });
      res.end('busy');
    };
    const response = await client().send({ method: 'GET', url: `${plain.url}/x`, headers: {} });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
  });

  it('keeps connections alive', async () => {
    const before = plain.connections;
    const c = client();
    for (let i = 0; i < 3; i++) await c.send({ method: 'GET', url: `${plain.url}/k`, headers: {} });
    expect(plain.connections - before).toBe(1);
  });

  it('times out with a DirconnError naming the host', async () => {
    plain.handler = () => undefined; // never answers
    const error = await rejection(client().send({ method: 'GET', url: `${plain.url}/slow`, headers: {}, timeoutMs: 150 }));
    expect(error.code).toBe('bitwarden.unreachable');
    expect(error.message).toBe(`No answer from the Bitwarden server at 127.0.0.1:${plain.port} within 0.2 s.`);
    expect(error.details).toMatchObject({ kind: 'timeout', systemCode: 'ETIMEDOUT' });
  });

  it('honours the AbortSignal', async () => {
    plain.handler = () => undefined;
    const controller = new AbortController();
    const pending = client().send({ method: 'GET', url: `${plain.url}/slow`, headers: {}, signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    expect((await rejection(pending)).code).toBe('cancelled');
    const aborted = new AbortController();
    aborted.abort();
    expect((await rejection(client().send({ method: 'GET', url: `${plain.url}/`, headers: {}, signal: aborted.signal }))).code).toBe('cancelled');
  });

  it('reports a refused connection with the configured code, the host and ECONNREFUSED', async () => {
    const free = http.createServer();
    const port = await listen(free);
    await new Promise<void>((resolve) => free.close(() => resolve()));
    const error = await rejection(client({ errorCode: 'provider.unreachable' }).send({ method: 'GET', url: `http://127.0.0.1:${port}/secret-path?token=abc`, headers: {} }));
    expect(error.code).toBe('provider.unreachable');
    expect(error.message).toBe(`Cannot connect to the directory at 127.0.0.1:${port}: connection refused (ECONNREFUSED).`);
    expect(error.message).not.toContain('secret-path');
    expect(error.details).toMatchObject({ systemCode: 'ECONNREFUSED', kind: 'network' });
  });

  it('reports a connection reset', async () => {
    plain.handler = (req) => req.socket.destroy();
    const error = await rejection(client().send({ method: 'GET', url: `${plain.url}/reset`, headers: {} }));
    expect(error.code).toBe('bitwarden.unreachable');
    expect(error.details).toMatchObject({ systemCode: 'ECONNRESET' });
  });

  it('fails on responses larger than maxResponseBytes', async () => {
    plain.handler = (_req, res) => res.end('x'.repeat(10_000));
    const error = await rejection(client({ maxResponseBytes: 1000 }).send({ method: 'GET', url: `${plain.url}/big`, headers: {} }));
    expect(error.code).toBe('bitwarden.server-error');
  });
});

describe('NodeHttpClient over https', () => {
  it('refuses an untrusted certificate with a TLS error and a caFile hint', async () => {
    const error = await rejection(client().send({ method: 'GET', url: `${secure.url}/`, headers: {} }));
    expect(error.code).toBe('bitwarden.unreachable');
    expect(error.details).toMatchObject({ kind: 'tls', host: `127.0.0.1:${secure.port}` });
    expect(error.message).toMatch(/^TLS connection to the Bitwarden server at 127\.0\.0\.1:\d+ failed: .*\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)\.$/);
    expect(error.hint).toContain('server.caFile');
  });

  it('uses provider.tls for providers', async () => {
    const error = await rejection(client({ errorCode: 'provider.unreachable' }).send({ method: 'GET', url: `${secure.url}/`, headers: {} }));
    expect(error.code).toBe('provider.tls');
  });

  it('trusts an extra CA in addition to the bundled roots', async () => {
    const response = await client({ ca: TEST_CA }).send({ method: 'GET', url: `${secure.url}/`, headers: {} });
    expect(response).toMatchObject({ status: 200, body: 'ok' });
  });

  it('skips verification only when rejectUnauthorized is false', async () => {
    const response = await client({ rejectUnauthorized: false }).send({ method: 'GET', url: `${secure.url}/`, headers: {} });
    expect(response.status).toBe(200);
  });

  it('reports a TLS client talking to a plain HTTP port as a TLS error', async () => {
    const error = await rejection(client().send({ method: 'GET', url: `https://127.0.0.1:${plain.port}/`, headers: {} }));
    expect(error.details).toMatchObject({ kind: 'tls' });
  });
});

describe('NodeHttpClient through a proxy', () => {
  let proxy: TestProxy;
  beforeAll(async () => {
    proxy = await startProxy();
  });
  afterAll(async () => {
    await proxy.close();
  });
  afterEach(() => {
    proxy.seen.length = 0;
    proxy.authorizations.length = 0;
    proxy.connectStatus = 200;
  });

  it('tunnels https through CONNECT, verifying the server certificate, with proxy credentials', async () => {
    const withCredentials = proxy.url.replace('http://', 'http://user:p%40ss@');
    const c = client({ ca: TEST_CA, proxy: { httpsProxy: withCredentials, httpProxy: null, noProxy: 'localhost' } });
    const response = await c.send({ method: 'POST', url: `${secure.url}/identity/connect/token`, headers: { 'Content-Type': 'text/plain' }, body: 'hi' });
    expect(response).toMatchObject({ status: 200, body: 'ok' });
    expect(proxy.seen).toEqual([`CONNECT 127.0.0.1:${secure.port}`]);
    expect(proxy.authorizations).toEqual([`Basic ${Buffer.from('user:p@ss').toString('base64')}`]);
  });

  it('still verifies certificates through the tunnel', async () => {
    const c = client({ proxy: { httpsProxy: proxy.url, httpProxy: null, noProxy: null } });
    const error = await rejection(c.send({ method: 'GET', url: `${secure.url}/`, headers: {} }));
    expect(error.details).toMatchObject({ kind: 'tls' });
  });

  it('forwards http requests with an absolute URI', async () => {
    const c = client({ proxy: { httpsProxy: null, httpProxy: proxy.url, noProxy: null } });
    const response = await c.send({ method: 'GET', url: `${plain.url}/api/public/members?x=1`, headers: {} });
    expect(response.status).toBe(200);
    expect(proxy.seen).toEqual([`GET ${plain.url}/api/public/members?x=1`]);
  });

  it('bypasses the proxy for NO_PROXY hosts', async () => {
    const c = client({ proxy: { httpsProxy: proxy.url, httpProxy: proxy.url, noProxy: 'example.com, 127.0.0.1' } });
    await c.send({ method: 'GET', url: `${plain.url}/`, headers: {} });
    expect(proxy.seen).toEqual([]);
  });

  it('reports a refused tunnel naming the proxy but not its credentials', async () => {
    proxy.connectStatus = 407;
    const c = client({ proxy: { httpsProxy: proxy.url.replace('http://', 'http://bob:hunter2@'), httpProxy: null, noProxy: null } });
    const error = await rejection(c.send({ method: 'GET', url: `${secure.url}/`, headers: {} }));
    expect(error.code).toBe('bitwarden.unreachable');
    expect(error.message).toBe(`The proxy 127.0.0.1:${proxy.port} could not open a tunnel to 127.0.0.1:${secure.port}: HTTP 407 Nope.`);
    expect(JSON.stringify(error.toData())).not.toContain('hunter2');
  });

  it('reads the proxy from the given environment when no proxy setting is passed', async () => {
    const c = new NodeHttpClient({ env: { HTTP_PROXY: proxy.url, NO_PROXY: 'example.com' } });
    clients.push(c);
    await c.send({ method: 'GET', url: `${plain.url}/via-env`, headers: {} });
    expect(proxy.seen).toEqual([`GET ${plain.url}/via-env`]);
  });

  it('refuses non-http proxies', async () => {
    const c = client({ proxy: { httpsProxy: 'socks5://127.0.0.1:1080', httpProxy: null, noProxy: null } });
    expect((await rejection(c.send({ method: 'GET', url: `${secure.url}/`, headers: {} }))).code).toBe('config.invalid');
  });
});

describe('proxy settings', () => {
  it('reads the environment, lower-case first', () => {
    expect(proxySettingsFromEnv({ HTTPS_PROXY: 'http://a:1', https_proxy: 'http://b:2', HTTP_PROXY: 'http://c:3', NO_PROXY: ' ' })).toEqual({
      httpsProxy: 'http://b:2',
      httpProxy: 'http://c:3',
      noProxy: null,
    });
  });

  it.each([
    ['vault.example.com', 443, 'example.com', true],
    ['vault.example.com', 443, '.example.com', true],
    ['example.com', 443, '.example.com', true],
    ['vault.example.com', 443, '*.example.com', true],
    ['notexample.com', 443, 'example.com', false],
    ['vault.example.com', 443, 'vault.example.com:8443', false],
    ['vault.example.com', 8443, 'vault.example.com:8443', true],
    ['10.1.2.3', 80, 'localhost,10.1.2.3', true],
    ['anything', 80, '*', true],
    ['[::1]', 80, '::1', true],
    ['vault.example.com', 443, null, false],
  ] as const)('%s:%d with NO_PROXY=%p → %p', (host, port, noProxy, expected) => {
    expect(bypassesProxy(host, port, noProxy)).toBe(expected);
  });
});
