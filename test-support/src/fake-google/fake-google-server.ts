// The fake Google Workspace (directory-apis.md §3.9): an HTTP server on 127.0.0.1 with the OAuth
// token endpoint (JWT-bearer grant checked against a service account's public key) and the Admin
// SDK Directory API (users, groups, members, paging), plus an in-process control surface: the
// account's state, a request log, page-token expiry and fault injection.
//
//   const google = await startFakeGoogle({ seed: googleReferenceSeed() });
//   // dirconn config google.keyFile <file with google.keyFile()>, google.rootUrl google.rootUrl …
//   google.fail({ route: 'users', status: 403, reason: 'userRateLimitExceeded', times: 3 });
//   google.state.updateUser('alice@example.com', { suspended: true });
//   await google.close();
//
// Test-only: lives in test-support and is never imported by shipped code.

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { HttpClient, HttpRequest, HttpResponse } from '@dirconn/core';
import { FakeDirectoryApi, apiError, pageNumberOf, type ApiResponse, type DirectoryRoute } from './directory.js';
import { FakeGoogleState, type FakeGoogleSeed } from './state.js';
import { DIRECTORY_READ_SCOPES, FakeTokenService, GOOGLE_TOKEN_URL, newServiceAccount, serviceAccountKeyFile, type FakeServiceAccount } from './token.js';

/** Routes of the fake, for faults and counts. */
export type FakeGoogleRoute = 'token' | DirectoryRoute;

/** An injected failure. */
export interface FakeGoogleFault {
  /** A route, or `api` for every Directory API route. */
  route: FakeGoogleRoute | 'api';
  status: number;
  /** Directory API `errors[0].reason` (`userRateLimitExceeded`, `rateLimitExceeded`, `backendError`, `forbidden`…), or the token endpoint's `error`. */
  reason?: string;
  message?: string;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Only requests for this page (1 = the first, without a page token). */
  page?: number;
  /** Fire first on the k-th matching request (1-based). Default 1. */
  onCall?: number;
  /** How many matching requests fail. Default 1; `Infinity` for all. */
  times?: number;
}

/** One request as the fake saw it (the Authorization header and the assertion are not kept). */
export interface FakeGoogleRequest {
  method: string;
  path: string;
  route: FakeGoogleRoute | 'unknown';
  query: Record<string, string>;
  status: number;
  /** The injected fault's status and reason, if one fired. */
  fault?: string;
}

/** Options of {@link startFakeGoogle}. */
export interface FakeGoogleOptions {
  seed?: FakeGoogleSeed;
  /** Default: a fresh one with the three read scopes delegated. */
  serviceAccount?: FakeServiceAccount;
  /** The fake's clock in ms. Default Date.now. */
  now?: () => number;
  /** Access-token lifetime in seconds. Default 3600. */
  tokenLifetimeSeconds?: number;
}

interface ActiveFault extends Required<Omit<FakeGoogleFault, 'reason' | 'message' | 'retryAfter' | 'page'>> {
  reason: string | undefined;
  message: string | undefined;
  retryAfter: number | undefined;
  page: number | undefined;
  seen: number;
  fired: number;
}

const ROUTE_SCOPES: Record<DirectoryRoute, string[]> = {
  users: ['admin.directory.user.readonly', 'admin.directory.user'],
  user: ['admin.directory.user.readonly', 'admin.directory.user'],
  groups: ['admin.directory.group.readonly', 'admin.directory.group'],
  members: ['admin.directory.group.member.readonly', 'admin.directory.group.readonly', 'admin.directory.group.member', 'admin.directory.group'],
};

/** See the module comment. */
export class FakeGoogle {
  readonly url: string;
  /** The fake's token endpoint (give it as google.tokenUrl or the key file's token_uri). */
  readonly tokenUrl: string;
  /** The API root (google.rootUrl). */
  readonly rootUrl: string;
  readonly state: FakeGoogleState;
  readonly serviceAccount: FakeServiceAccount;
  readonly requests: FakeGoogleRequest[] = [];
  readonly tokens: FakeTokenService;
  readonly #api: FakeDirectoryApi;
  readonly #faults: ActiveFault[] = [];
  readonly #hooks: ((request: FakeGoogleRequest) => void)[] = [];
  readonly #sockets = new Set<Socket>();

  constructor(private readonly server: http.Server, options: FakeGoogleOptions) {
    const port = (server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${port}`;
    this.tokenUrl = `${this.url}/token`;
    this.rootUrl = this.url;
    const now = options.now ?? Date.now;
    this.state = new FakeGoogleState(options.seed, now);
    this.serviceAccount = options.serviceAccount ?? newServiceAccount();
    this.tokens = new FakeTokenService(() => [this.tokenUrl, GOOGLE_TOKEN_URL], (email) => this.state.user(email) !== undefined, now, options.tokenLifetimeSeconds);
    this.tokens.accounts.push(this.serviceAccount);
    this.#api = new FakeDirectoryApi(this.state);
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const method = (req.method ?? 'GET') as HttpRequest['method'];
        const response = this.handle({ method, url: `${this.url}${req.url ?? '/'}`, headers: { authorization: req.headers.authorization ?? '' }, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(response.status, response.headers);
        res.end(response.body);
      });
    });
  }

  /** The service-account key file (JSON text) whose token_uri is `tokenUri` (default: the fake's). */
  keyFile(tokenUri = this.tokenUrl): string {
    return serviceAccountKeyFile(this.serviceAccount, tokenUri);
  }

  /** Queues a fault. */
  fail(fault: FakeGoogleFault): void {
    this.#faults.push({ onCall: 1, times: 1, ...fault, reason: fault.reason, message: fault.message, retryAfter: fault.retryAfter, page: fault.page, seen: 0, fired: 0 });
  }

  /** Removes every queued fault. */
  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** Invalidates every page token handed out so far. */
  expirePageTokens(): void {
    this.#api.expirePageTokens();
  }

  /** Runs `hook` after each request is answered (e.g. to change the account between two pages). */
  afterRequest(hook: (request: FakeGoogleRequest) => void): () => void {
    this.#hooks.push(hook);
    return () => this.#hooks.splice(this.#hooks.indexOf(hook), 1);
  }

  /** Requests answered so far, optionally of one route. */
  count(route?: FakeGoogleRoute): number {
    return route === undefined ? this.requests.length : this.requests.filter((r) => r.route === route).length;
  }

  /** Answers one request (used by the HTTP server and by {@link httpClient}). */
  handle(request: HttpRequest): HttpResponse {
    const url = new URL(request.url);
    const entry: FakeGoogleRequest = { method: request.method, path: url.pathname, route: 'unknown', query: Object.fromEntries(url.searchParams), status: 0 };
    const response = this.#answer(request, url, entry);
    entry.status = response.status;
    this.requests.push(entry);
    for (const hook of [...this.#hooks]) hook(entry);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8', ...response.headers };
    return { status: response.status, headers, body: JSON.stringify(response.body) };
  }

  /** An HttpClient that calls {@link handle} in process (no sockets): for specs on a fake clock. */
  httpClient(): HttpClient {
    return { send: (request) => Promise.resolve(this.handle(request)) };
  }

  #answer(request: HttpRequest, url: URL, entry: FakeGoogleRequest): ApiResponse {
    if (url.pathname === '/token' && request.method === 'POST') {
      entry.route = 'token';
      const fault = this.#fault('token', 1, entry);
      if (fault) return fault;
      const outcome = this.tokens.grant(new URLSearchParams(request.body ?? ''));
      return { status: outcome.status, body: outcome.body };
    }
    const match = request.method === 'GET' ? this.#api.route(url.pathname) : null;
    if (!match) return apiError(404, 'notFound', `Not Found: ${request.method} ${url.pathname}`);
    entry.route = match.route;
    const token = this.tokens.check(request.headers['authorization'] ?? request.headers['Authorization']);
    if (!token) return apiError(401, 'authError', 'Invalid Credentials');
    const fault = this.#fault(match.route, pageNumberOf(url.searchParams, 100), entry);
    if (fault) return fault;
    const granted = token.scopes.map((s) => s.replace('https://www.googleapis.com/auth/', ''));
    if (!ROUTE_SCOPES[match.route].some((s) => granted.includes(s))) return apiError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.');
    if (!this.state.user(token.subject)?.isAdmin) return apiError(403, 'forbidden', 'Not Authorized to access this resource/api');
    return this.#api.handle(match.route, match.key, url.searchParams);
  }

  #fault(route: FakeGoogleRoute, page: number, entry: FakeGoogleRequest): ApiResponse | null {
    for (const fault of this.#faults) {
      const routeMatches = fault.route === route || (fault.route === 'api' && route !== 'token');
      if (!routeMatches || (fault.page !== undefined && fault.page !== page)) continue;
      fault.seen++;
      if (fault.seen < fault.onCall || fault.fired >= fault.times) continue;
      fault.fired++;
      entry.fault = `${fault.status} ${fault.reason ?? ''}`.trim();
      const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
      if (route === 'token') return { status: fault.status, headers, body: { error: fault.reason ?? 'internal_failure', error_description: fault.message ?? 'injected' } };
      const domain = /RateLimit|quota/i.test(fault.reason ?? '') ? 'usageLimits' : 'global';
      return { ...apiError(fault.status, fault.reason ?? 'backendError', fault.message ?? `Injected ${fault.status}`, domain), headers };
    }
    return null;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Starts the fake on 127.0.0.1 (random port). */
export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const server = http.createServer({ keepAliveTimeout: 5000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return new FakeGoogle(server, options);
}

export { DIRECTORY_READ_SCOPES };
