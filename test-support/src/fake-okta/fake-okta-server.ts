// The fake Okta org (directory-apis.md §4.9): the Management API routes dirconn reads, API tokens
// (SSWS) and OAuth service apps (private-key JWT checked against the app's public key, scopes),
// Link-header paging with absolute URLs, the filter/search grammar subset, X-Rate-Limit-* buckets per
// endpoint family with a per-minute window, a concurrency cap and 429 E0000047, 403 E0000006 for a
// token without admin rights, and fault injection (a failed page, 5xx, 429 storms, bad JSON).
//
//   const okta = await startFakeOkta({ seed: oktaReferenceSeed() });
//   // dirconn config okta.orgUrl okta.url; okta.token okta.token
//   okta.fail({ route: 'users', status: 500, page: 2, times: Infinity });
//   okta.state.updateUser('user1@example.com', { status: 'DEPROVISIONED' });
//
// Test-only: lives in test-support and is never imported by shipped code.

import { createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { HttpClient, HttpRequest, HttpResponse } from '@dirconn/core';
import { compileFilter, FilterError, GROUP_FILTER_RULES, readPath, SEARCH_RULES, USER_FILTER_RULES } from './filter.js';
import { FakeOktaState, type FakeOktaSeed } from './state.js';

/** Routes of the fake, for faults, limits and counts. */
export type FakeOktaRoute = 'users' | 'userGroups' | 'groups' | 'members' | 'token';

/** An injected failure. */
export interface FakeOktaFault {
  route: FakeOktaRoute | 'api';
  /** HTTP status; 429 answers E0000047 with a reset one second ahead. */
  status: number;
  /** Answer 200 with a body that is not JSON instead. */
  badJson?: boolean;
  /** Only this page (1 = the first, without `after`). */
  page?: number;
  /** How many matching requests fail. Default 1; Infinity for all. */
  times?: number;
}

/** Options of {@link startFakeOkta}. */
export interface FakeOktaOptions {
  seed?: FakeOktaSeed;
  /** The fake's clock in ms. Default Date.now. */
  now?: () => number;
  /** Requests per window per route bucket. Default 600 (users) and 1000 (others). */
  limits?: Partial<Record<FakeOktaRoute, number>>;
  /** Window of the rate-limit buckets in seconds. Default 60. */
  windowSeconds?: number;
  /** Simultaneous requests before 429. Default 75. */
  concurrency?: number;
  /** Added latency per API request in ms (makes concurrency observable). Default 0. */
  latencyMs?: number;
}

/** One request as the fake saw it (never the Authorization header). */
export interface FakeOktaRequest {
  method: string;
  path: string;
  route: FakeOktaRoute | 'unknown';
  query: Record<string, string>;
  status: number;
  /** When it was answered, on the fake's clock (ms). */
  at: number;
  fault?: string;
}

type Answer = { status: number; headers?: Record<string, string>; body: unknown; raw?: string };

const oktaError = (status: number, code: string, summary: string): Answer => ({
  status,
  body: { errorCode: code, errorSummary: summary, errorLink: code, errorId: `oae${randomBytes(8).toString('hex')}`, errorCauses: [] },
});

const DEFAULT_LIMITS: Record<FakeOktaRoute, number> = { users: 600, userGroups: 1000, groups: 1000, members: 1000, token: 600 };
const PAGE_DEFAULT: Record<string, number> = { users: 200, userGroups: 200, groups: 10_000, members: 1000 };

/** A service app the fake accepts. */
export interface FakeOktaApp {
  clientId: string;
  /** PEM private key (for dirconn's okta.privateKeyPath). */
  privateKeyPem: string;
  publicKey: KeyObject;
  scopes: string[];
}

/** See the module comment. */
export class FakeOkta {
  readonly url: string;
  readonly state: FakeOktaState;
  readonly requests: FakeOktaRequest[] = [];
  /** Valid API tokens → whether their admin may read (false → 403 E0000006). */
  readonly tokens = new Map<string, boolean>();
  /** The default API token (a read-only admin's). */
  readonly token = `00${randomBytes(20).toString('base64url')}`;
  readonly apps: FakeOktaApp[] = [];
  /** Highest number of requests in flight seen. */
  maxInFlight = 0;
  /** Answers 429 E0000047 because of the rate limit or concurrency (faults excluded). */
  throttledCount = 0;
  readonly #now: () => number;
  readonly #limits: Record<FakeOktaRoute, number>;
  readonly #window: number;
  readonly #concurrency: number;
  readonly #latency: number;
  readonly #buckets = new Map<FakeOktaRoute, { windowStart: number; used: number }>();
  readonly #faults: (Required<Omit<FakeOktaFault, 'page' | 'badJson'>> & { page?: number; badJson?: boolean; fired: number })[] = [];
  readonly #accessTokens = new Map<string, { scopes: string[]; expires: number }>();
  readonly #sockets = new Set<Socket>();
  #inFlight = 0;

  constructor(
    private readonly server: http.Server | null,
    options: FakeOktaOptions,
  ) {
    const port = server ? (server.address() as AddressInfo).port : 0;
    this.url = server ? `http://127.0.0.1:${port}` : 'http://okta.localhost';
    this.#now = options.now ?? Date.now;
    this.state = new FakeOktaState(options.seed, this.#now);
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#window = options.windowSeconds ?? 60;
    this.#concurrency = options.concurrency ?? 75;
    this.#latency = options.latencyMs ?? 0;
    this.tokens.set(this.token, true);
    server?.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server?.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request: HttpRequest = { method: (req.method ?? 'GET') as HttpRequest['method'], url: `${this.url}${req.url ?? '/'}`, headers: { authorization: req.headers.authorization ?? '' }, body: Buffer.concat(chunks).toString('utf8') };
        void this.handle(request).then((response) => {
          res.writeHead(response.status, response.headers);
          res.end(response.body);
        });
      });
    });
  }

  /** Registers an OAuth service app with a fresh RSA key pair and the given scopes. */
  addApp(scopes: string[] = ['okta.users.read', 'okta.groups.read']): FakeOktaApp {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const app: FakeOktaApp = { clientId: `0oa${randomBytes(8).toString('hex')}`, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey, scopes };
    this.apps.push(app);
    return app;
  }

  /** Queues a fault. */
  fail(fault: FakeOktaFault): void {
    this.#faults.push({ times: 1, ...fault, fired: 0 });
  }

  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** Uses `count` requests of a bucket's current window, as another integration would. */
  consume(route: FakeOktaRoute, count: number): void {
    const bucket = this.#bucket(route);
    bucket.used += count;
  }

  count(route?: FakeOktaRoute): number {
    return route === undefined ? this.requests.length : this.requests.filter((r) => r.route === route).length;
  }

  /** An HttpClient calling {@link handle} in process (no sockets): for specs on a fake clock. */
  httpClient(): HttpClient {
    return { send: (request) => this.handle(request) };
  }

  /** Answers one request. */
  async handle(request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(request.url);
    const entry: FakeOktaRequest = { method: request.method, path: url.pathname, route: 'unknown', query: Object.fromEntries(url.searchParams), status: 0, at: this.#now() };
    this.#inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    let answer: Answer;
    try {
      if (this.#latency > 0) await new Promise((resolve) => setTimeout(resolve, this.#latency));
      answer = this.#answer(request, url, entry);
    } finally {
      this.#inFlight--;
    }
    entry.status = answer.status;
    this.requests.push(entry);
    const headers: Record<string, string> = { 'content-type': 'application/json', date: new Date(this.#now()).toUTCString(), 'x-okta-request-id': randomBytes(8).toString('hex'), ...answer.headers };
    return { status: answer.status, headers, body: answer.raw ?? JSON.stringify(answer.body) };
  }

  #bucket(route: FakeOktaRoute): { windowStart: number; used: number } {
    const windowMs = this.#window * 1000;
    const start = Math.floor(this.#now() / windowMs) * windowMs;
    let bucket = this.#buckets.get(route);
    if (!bucket || bucket.windowStart !== start) {
      bucket = { windowStart: start, used: 0 };
      this.#buckets.set(route, bucket);
    }
    return bucket;
  }

  #rateHeaders(route: FakeOktaRoute, bucket: { windowStart: number; used: number }): Record<string, string> {
    const limit = this.#limits[route];
    return {
      'x-rate-limit-limit': String(limit),
      'x-rate-limit-remaining': String(Math.max(0, limit - bucket.used)),
      'x-rate-limit-reset': String(Math.floor((bucket.windowStart + this.#window * 1000) / 1000)),
    };
  }

  #answer(request: HttpRequest, url: URL, entry: FakeOktaRequest): Answer {
    const route = routeOf(request.method, url.pathname);
    if (route === null) return oktaError(404, 'E0000022', `The endpoint does not support the provided HTTP method`);
    entry.route = route.route;
    const bucket = this.#bucket(route.route);
    const limitHeaders = (): Record<string, string> => this.#rateHeaders(route.route, bucket);
    const page = url.searchParams.has('after') ? 2 : 1;
    const fault = this.#faults.find((f) => (f.route === route.route || (f.route === 'api' && route.route !== 'token')) && (f.page === undefined || f.page === page || (f.page > 1 && page > 1)) && f.fired < f.times);
    if (fault) {
      fault.fired++;
      entry.fault = fault.badJson ? 'bad json' : String(fault.status);
      if (fault.badJson) return { status: 200, headers: limitHeaders(), body: null, raw: '[{"id": "00u' };
      if (fault.status === 429) {
        const reset = Math.floor(this.#now() / 1000) + 1;
        return { ...oktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.'), headers: { 'x-rate-limit-limit': String(this.#limits[route.route]), 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } };
      }
      return { ...oktaError(fault.status, 'E0000009', 'Internal Server Error'), headers: limitHeaders() };
    }
    if (this.#inFlight > this.#concurrency || bucket.used >= this.#limits[route.route]) {
      this.throttledCount++;
      return { ...oktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.'), headers: limitHeaders() };
    }
    bucket.used++;
    const headers = limitHeaders();
    if (route.route === 'token') return { ...this.#grant(request.body ?? ''), headers };
    const auth = this.#authorize(request.headers['authorization'] ?? '', route.route);
    if (auth) return { ...auth, headers };
    const answer = this.#read(route.route, route.id, url);
    return { ...answer, headers: { ...headers, ...answer.headers } };
  }

  /** null when allowed, else the 401/403 answer. */
  #authorize(header: string, route: FakeOktaRoute): Answer | null {
    const ssws = /^SSWS (.+)$/.exec(header);
    if (ssws) {
      const rights = this.tokens.get(ssws[1] ?? '');
      if (rights === undefined) return oktaError(401, 'E0000011', 'Invalid token provided');
      return rights ? null : oktaError(403, 'E0000006', 'You do not have permission to perform the requested action');
    }
    const bearer = /^Bearer (.+)$/.exec(header);
    const token = bearer ? this.#accessTokens.get(bearer[1] ?? '') : undefined;
    if (!token || token.expires <= this.#now()) return oktaError(401, 'E0000011', 'Invalid token provided');
    const needed = route === 'users' || route === 'userGroups' ? 'okta.users.read' : 'okta.groups.read';
    return token.scopes.includes(needed) ? null : oktaError(403, 'E0000006', 'You do not have permission to perform the requested action');
  }

  #grant(body: string): Answer {
    const form = new URLSearchParams(body);
    const fail = (error: string, description: string): Answer => ({ status: 400, body: { error, error_description: description } });
    if (form.get('grant_type') !== 'client_credentials') return fail('unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed.' } };
    const [h, c, s] = (form.get('client_assertion') ?? '').split('.');
    let claims: Record<string, unknown> = {};
    try {
      claims = JSON.parse(Buffer.from(c ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return { status: 401, body: { error: 'invalid_client', error_description: 'The client_assertion is not a JWT.' } };
    }
    const app = this.apps.find((a) => a.clientId === claims['iss']);
    const valid =
      app !== undefined &&
      claims['sub'] === app.clientId &&
      claims['aud'] === `${this.url}/oauth2/v1/token` &&
      typeof claims['exp'] === 'number' &&
      claims['exp'] * 1000 > this.#now() &&
      createVerify('RSA-SHA256').update(`${h}.${c}`).verify(app.publicKey, Buffer.from(s ?? '', 'base64url'));
    if (!valid || app === undefined) return { status: 401, body: { error: 'invalid_client', error_description: 'The client_assertion signature is invalid.' } };
    const scopes = (form.get('scope') ?? '').split(' ').filter((x) => x !== '');
    if (scopes.length === 0 || scopes.some((x) => !app.scopes.includes(x))) return fail('invalid_scope', 'The following scopes are not allowed: ' + scopes.filter((x) => !app.scopes.includes(x)).join(', '));
    const accessToken = randomBytes(24).toString('base64url');
    this.#accessTokens.set(accessToken, { scopes, expires: this.#now() + 3600_000 });
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: accessToken, scope: scopes.join(' ') } };
  }

  #read(route: FakeOktaRoute, id: string | null, url: URL): Answer {
    const params = url.searchParams;
    let items: { id: string }[];
    if (route === 'users' || route === 'groups') {
      const filter = params.get('filter');
      const search = params.get('search');
      const rules = search ? SEARCH_RULES : route === 'users' ? USER_FILTER_RULES : GROUP_FILTER_RULES;
      const expression = search ?? filter;
      let predicate: ((item: unknown) => boolean) | null = null;
      try {
        if (expression) {
          const compiled = compileFilter(expression, rules);
          predicate = (item) => compiled((p) => readPath(item, p));
        }
      } catch (error) {
        return oktaError(400, 'E0000031', `Invalid search criteria. ${error instanceof FilterError ? error.message : ''}`.trim());
      }
      const all: { id: string }[] = route === 'users' ? this.state.users : this.state.groups;
      // Without filter or search, DEPROVISIONED users are left out (directory-apis.md §4.2).
      items = all.filter((item) => (predicate ? predicate(item) : route !== 'users' || (item as { status?: string }).status !== 'DEPROVISIONED'));
    } else if (route === 'members') {
      const group = this.state.groups.find((g) => g.id === id);
      if (!group) return oktaError(404, 'E0000007', `Not found: Resource not found: ${id ?? ''} (UserGroup)`);
      items = this.state.membersOf(group);
    } else {
      const user = this.state.users.find((u) => u.id === id);
      if (!user) return oktaError(404, 'E0000007', `Not found: Resource not found: ${id ?? ''} (User)`);
      items = this.state.groupsOf(user);
    }
    const limit = Math.max(1, Math.min(Number(params.get('limit') ?? PAGE_DEFAULT[route]) || PAGE_DEFAULT[route] || 200, route === 'users' ? 200 : 10_000));
    const after = params.get('after');
    const start = after === null ? 0 : items.findIndex((item) => item.id > after);
    const slice = start < 0 ? [] : items.slice(start, start + limit);
    const links = [`<${url.origin}${url.pathname}?${withParam(params, 'after', null)}>; rel="self"`];
    const last = slice[slice.length - 1];
    if (start >= 0 && start + limit < items.length && last) links.push(`<${url.origin}${url.pathname}?${withParam(params, 'after', last.id)}>; rel="next"`);
    // Okta sends one Link header per relation; Node joins repeated headers with ", ".
    return { status: 200, headers: { link: links.join(', ') }, body: slice };
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    if (this.server) await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

function withParam(params: URLSearchParams, name: string, value: string | null): string {
  const copy = new URLSearchParams(params);
  if (value === null) copy.delete(name);
  else copy.set(name, value);
  return copy.toString();
}

function routeOf(method: string, path: string): { route: FakeOktaRoute; id: string | null } | null {
  if (method === 'POST' && path === '/oauth2/v1/token') return { route: 'token', id: null };
  if (method !== 'GET') return null;
  if (path === '/api/v1/users') return { route: 'users', id: null };
  if (path === '/api/v1/groups') return { route: 'groups', id: null };
  const members = /^\/api\/v1\/groups\/([^/]+)\/users$/.exec(path);
  if (members) return { route: 'members', id: decodeURIComponent(members[1] ?? '') };
  const userGroups = /^\/api\/v1\/users\/([^/]+)\/groups$/.exec(path);
  if (userGroups) return { route: 'userGroups', id: decodeURIComponent(userGroups[1] ?? '') };
  return null;
}

/** An in-process fake (no socket): use {@link FakeOkta.httpClient}; its URL is http://okta.localhost. */
export function fakeOkta(options: FakeOktaOptions = {}): FakeOkta {
  return new FakeOkta(null, options);
}

/** Starts the fake on 127.0.0.1 (random port). */
export async function startFakeOkta(options: FakeOktaOptions = {}): Promise<FakeOkta> {
  const server = http.createServer({ keepAliveTimeout: 5000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return new FakeOkta(server, options);
}
