// The fake OneLogin account (directory-apis.md §5.9, adapted to the API v2 dirconn uses): the v2
// client-credentials token endpoint (Basic header, the `client_id:…, client_secret:…` header form or a
// form body; the same token until it expires), `/api/2/users`, `/api/2/roles` and
// `/api/2/roles/{id}/users` with bare-array bodies and cursor paging (`After-Cursor`, `Total-Count`…
// headers), user and role query filters with `*` wildcards and `!` negation, an account-wide hourly
// rate limit with `X-RateLimit-*` headers (reset = seconds remaining) and 429, `GET /auth/rate_limit`,
// and fault injection (a failed page, 5xx, 429 storms, bad JSON, revoked tokens). Served over HTTPS
// with a CA made for the test (trust it through NODE_EXTRA_CA_CERTS), or in process (`httpClient()`).
// Regions are separate instances: dirconn reaches each through onelogin.baseUrl.
//
//   const onelogin = await startFakeOneLogin({ seed: oneLoginReferenceSeed() });
//   // dirconn config onelogin.baseUrl onelogin.url; onelogin.clientId onelogin.clientId; secret onelogin.clientSecret
//   onelogin.fail({ route: 'users', status: 500, page: 2, times: Infinity });
//
// Test-only: lives in test-support and is never imported by shipped code.

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { HttpClient, HttpRequest, HttpResponse } from '@dirconn/core';
import { makeFakeEntraTls, type FakeEntraTls } from '../fake-entra/tls.js';
import { answerRead, type FakeOneLoginReadRoute, type ReadAnswer } from './routes.js';
import { FakeOneLoginState, type FakeOneLoginSeed } from './state.js';

/** Routes of the fake, for faults and counts. */
export type FakeOneLoginRoute = FakeOneLoginReadRoute | 'token' | 'rateLimit';

/** An injected failure. */
export interface FakeOneLoginFault {
  /** A route, or `api` for every route but the token. */
  route: FakeOneLoginRoute | 'api';
  /** HTTP status; 429 carries X-RateLimit-Remaining 0 and a reset `resetSeconds` ahead. */
  status: number;
  /** Answer 200 with a body that is not JSON instead. */
  badJson?: boolean;
  /** Only this page (1 = the first, without `cursor`; 2 = any later page). */
  page?: number;
  /** How many matching requests fail. Default 1; Infinity for all. */
  times?: number;
  /** The reset of a 429, in seconds. Default 1. */
  resetSeconds?: number;
}

/** Options of {@link startFakeOneLogin}. */
export interface FakeOneLoginOptions {
  seed?: FakeOneLoginSeed;
  /** The fake's clock in ms. Default Date.now. */
  now?: () => number;
  /** Calls per window for the whole account. Default 5000. */
  rateLimit?: number;
  /** Length of the rate-limit window in seconds. Default 3600. */
  windowSeconds?: number;
  /** Token lifetime in seconds. Default 36000 (10 h). */
  tokenLifetimeSeconds?: number;
  /** TLS material (HTTPS server only); default a fresh CA made with openssl. */
  tls?: FakeEntraTls;
}

/** One request as the fake saw it (never the Authorization header). */
export interface FakeOneLoginRequest {
  method: string;
  path: string;
  route: FakeOneLoginRoute | 'unknown';
  query: Record<string, string>;
  status: number;
  /** When it was answered, on the fake's clock (ms). */
  at: number;
  fault?: string;
}

/** An API credential the fake accepts. */
export interface FakeOneLoginCredential {
  clientId: string;
  clientSecret: string;
  /** `read_users` (or `manage_all`…) may read; `none` is refused with 403. */
  scope: string;
}

const v2Error = (status: number, name: string, message: string): ReadAnswer => ({ status, body: { message, statusCode: status, name } });

/** See the module comment. */
export class FakeOneLogin {
  url = 'http://onelogin.localhost';
  readonly state: FakeOneLoginState;
  readonly requests: FakeOneLoginRequest[] = [];
  readonly credentials: FakeOneLoginCredential[] = [];
  /** The default credential's id and secret ("Read users"). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** Answers 429 because the hourly limit ran out (faults excluded). */
  throttledCount = 0;
  tls: FakeEntraTls | null = null;
  readonly #now: () => number;
  readonly #limit: number;
  readonly #window: number;
  readonly #lifetime: number;
  #bucket = { windowStart: 0, used: 0 };
  readonly #faults: (FakeOneLoginFault & { times: number; fired: number })[] = [];
  /** clientId → its current token; token → its credential and expiry. */
  readonly #issued = new Map<string, string>();
  readonly #tokens = new Map<string, { credential: FakeOneLoginCredential; expires: number }>();
  readonly #sockets = new Set<Socket>();
  #server: http.Server | null = null;

  constructor(options: FakeOneLoginOptions) {
    this.#now = options.now ?? Date.now;
    this.state = new FakeOneLoginState(options.seed, this.#now);
    this.#limit = options.rateLimit ?? 5000;
    this.#window = options.windowSeconds ?? 3600;
    this.#lifetime = options.tokenLifetimeSeconds ?? 36_000;
    const credential = this.addCredential('read_users');
    this.clientId = credential.clientId;
    this.clientSecret = credential.clientSecret;
  }

  /** Registers another API credential. */
  addCredential(scope = 'read_users'): FakeOneLoginCredential {
    const credential = { clientId: randomBytes(16).toString('hex'), clientSecret: randomBytes(32).toString('hex'), scope };
    this.credentials.push(credential);
    return credential;
  }

  /** Queues a fault. */
  fail(fault: FakeOneLoginFault): void {
    this.#faults.push({ ...fault, times: fault.times ?? 1, fired: 0 });
  }

  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** Invalidates every issued token (as a revoked credential or an expiry would): the next call gets 401. */
  revokeTokens(): void {
    this.#tokens.clear();
    this.#issued.clear();
  }

  /** Uses `count` calls of the current window, as another integration would. */
  consume(count: number): void {
    this.#currentBucket().used += count;
  }

  count(route?: FakeOneLoginRoute): number {
    return route === undefined ? this.requests.length : this.requests.filter((r) => r.route === route).length;
  }

  /** An HttpClient calling {@link handle} in process (no sockets): for specs on a fake clock. */
  httpClient(): HttpClient {
    return { send: (request) => Promise.resolve(this.handle(request)) };
  }

  #currentBucket(): { windowStart: number; used: number } {
    const windowMs = this.#window * 1000;
    const start = Math.floor(this.#now() / windowMs) * windowMs;
    if (this.#bucket.windowStart !== start) this.#bucket = { windowStart: start, used: 0 };
    return this.#bucket;
  }

  #rateHeaders(): Record<string, string> {
    const bucket = this.#currentBucket();
    const resetSeconds = Math.max(0, Math.ceil((bucket.windowStart + this.#window * 1000 - this.#now()) / 1000));
    return { 'x-ratelimit-limit': String(this.#limit), 'x-ratelimit-remaining': String(Math.max(0, this.#limit - bucket.used)), 'x-ratelimit-reset': String(resetSeconds) };
  }

  /** Answers one request. */
  handle(request: HttpRequest): HttpResponse {
    const url = new URL(request.url);
    const entry: FakeOneLoginRequest = { method: request.method, path: url.pathname, route: 'unknown', query: Object.fromEntries(url.searchParams), status: 0, at: this.#now() };
    const answer = this.#answer(request, url, entry);
    entry.status = answer.status;
    this.requests.push(entry);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', date: new Date(this.#now()).toUTCString(), ...answer.headers };
    return { status: answer.status, headers, body: answer.raw ?? JSON.stringify(answer.body) };
  }

  #answer(request: HttpRequest, url: URL, entry: FakeOneLoginRequest): ReadAnswer {
    const route = routeOf(request.method, url.pathname);
    if (route === null) return v2Error(404, 'NotFoundError', 'No Route Exists');
    entry.route = route.route;
    const page = url.searchParams.has('cursor') ? 2 : 1;
    const fault = this.#faults.find((f) => (f.route === route.route || (f.route === 'api' && route.route !== 'token')) && (f.page === undefined || f.page === page) && f.fired < f.times);
    if (fault) {
      fault.fired++;
      entry.fault = fault.badJson ? 'bad json' : String(fault.status);
      if (fault.badJson) return { status: 200, headers: this.#rateHeaders(), body: null, raw: '[{"id": 27' };
      if (fault.status === 429) {
        return { ...v2Error(429, 'TooManyRequestsError', 'Too Many Requests'), headers: { 'x-ratelimit-limit': String(this.#limit), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(fault.resetSeconds ?? 1) } };
      }
      return { ...v2Error(fault.status, 'InternalServerError', 'Internal Server Error'), headers: this.#rateHeaders() };
    }
    if (route.route === 'token') return this.#grant(request);
    const bucket = this.#currentBucket();
    if (bucket.used >= this.#limit) {
      this.throttledCount++;
      return { ...v2Error(429, 'TooManyRequestsError', 'Too Many Requests'), headers: this.#rateHeaders() };
    }
    bucket.used++;
    const headers = this.#rateHeaders();
    const auth = this.#authorize(request.headers['authorization'] ?? '');
    if (auth) return { ...auth, headers };
    if (route.route === 'rateLimit') {
      return { status: 200, headers, body: { status: { error: false, code: 200, type: 'success', message: 'Success' }, data: { 'X-RateLimit-Limit': Number(headers['x-ratelimit-limit']), 'X-RateLimit-Remaining': Number(headers['x-ratelimit-remaining']), 'X-RateLimit-Reset': Number(headers['x-ratelimit-reset']) } } };
    }
    const answer = answerRead(this.state, route.route, route.id, url);
    return { ...answer, headers: { ...headers, ...answer.headers } };
  }

  /** null when allowed, else the 401/403 answer. */
  #authorize(header: string): ReadAnswer | null {
    const match = /^(?:Bearer |bearer:)\s*(\S+)$/i.exec(header.trim());
    const token = match ? this.#tokens.get(match[1] ?? '') : undefined;
    if (!token || token.expires <= this.#now()) return v2Error(401, 'UnauthorizedError', 'Unauthorized');
    return token.credential.scope === 'none' ? v2Error(403, 'ForbiddenError', 'Forbidden') : null;
  }

  #grant(request: HttpRequest): ReadAnswer {
    const header = request.headers['authorization'] ?? '';
    const body = request.body ?? '';
    let clientId: string | null = null;
    let clientSecret: string | null = null;
    let grantType: string | null = null;
    const basic = /^Basic (.+)$/i.exec(header);
    const pairs = /client_id:\s*([^,\s]+)\s*,\s*client_secret:\s*(\S+)/i.exec(header);
    if (basic) [clientId = null, clientSecret = null] = Buffer.from(basic[1] ?? '', 'base64').toString('utf8').split(':', 2);
    else if (pairs) [clientId, clientSecret] = [pairs[1] ?? null, pairs[2] ?? null];
    try {
      const doc = JSON.parse(body) as Record<string, unknown>;
      grantType = typeof doc['grant_type'] === 'string' ? doc['grant_type'] : null;
    } catch {
      const form = new URLSearchParams(body);
      grantType = form.get('grant_type');
      clientId ??= form.get('client_id');
      clientSecret ??= form.get('client_secret');
    }
    if (grantType !== 'client_credentials') return { status: 400, body: { status: { error: true, code: 400, type: 'bad request', message: 'grant_type must be client_credentials' } } };
    const credential = this.credentials.find((c) => c.clientId === clientId && c.clientSecret === clientSecret);
    if (!credential) return { status: 401, body: { status: { error: true, code: 401, type: 'Unauthorized', message: 'Authentication Failure' } } };
    const now = this.#now();
    let token = this.#issued.get(credential.clientId);
    const known = token === undefined ? undefined : this.#tokens.get(token);
    if (token === undefined || known === undefined || known.expires <= now) {
      token = randomBytes(32).toString('hex');
      this.#issued.set(credential.clientId, token);
      this.#tokens.set(token, { credential, expires: now + this.#lifetime * 1000 });
    }
    const expires = this.#tokens.get(token)?.expires ?? now;
    return {
      status: 200,
      body: { access_token: token, created_at: new Date(now).toISOString(), expires_in: Math.round((expires - now) / 1000), refresh_token: randomBytes(32).toString('hex'), token_type: 'bearer', account_id: 123456 },
    };
  }

  /** Starts serving over HTTPS on 127.0.0.1 (random port). */
  async listen(tls: FakeEntraTls): Promise<void> {
    this.tls = tls;
    const server = https.createServer({ cert: tls.serverCert, key: tls.serverKey, keepAliveTimeout: 5000 }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const response = this.handle({ method: (req.method ?? 'GET') as HttpRequest['method'], url: `${this.url}${req.url ?? '/'}`, headers: { authorization: req.headers.authorization ?? '' }, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(response.status, response.headers);
        res.end(response.body);
      });
    });
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    this.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function routeOf(method: string, path: string): { route: FakeOneLoginRoute; id: string | null } | null {
  if (method === 'POST' && path === '/auth/oauth2/v2/token') return { route: 'token', id: null };
  if (method !== 'GET') return null;
  if (path === '/auth/rate_limit') return { route: 'rateLimit', id: null };
  if (path === '/api/2/users') return { route: 'users', id: null };
  if (path === '/api/2/roles') return { route: 'roles', id: null };
  const members = /^\/api\/2\/roles\/([^/]+)\/users$/.exec(path);
  if (members) return { route: 'members', id: decodeURIComponent(members[1] ?? '') };
  return null;
}

/** An in-process fake (no socket): use {@link FakeOneLogin.httpClient}; its URL is http://onelogin.localhost. */
export function fakeOneLogin(options: FakeOneLoginOptions = {}): FakeOneLogin {
  return new FakeOneLogin(options);
}

/** Starts the fake over HTTPS on 127.0.0.1 (random port) with `options.tls` or a fresh test CA. */
export async function startFakeOneLogin(options: FakeOneLoginOptions = {}): Promise<FakeOneLogin> {
  const fake = new FakeOneLogin(options);
  await fake.listen(options.tls ?? (await makeFakeEntraTls()));
  return fake;
}
