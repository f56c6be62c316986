// The fake Bitwarden server (bitwarden-api.md §8): an HTTP server on 127.0.0.1 that behaves like
// the official server (`bitwarden` mode, cloud or self-hosted) or Vaultwarden, with an in-process
// control surface for tests: state, request log, clock, faults and rate limiting.
//
//   const bw = await startFakeBitwarden();
//   // connector config: server = bw.url, client id = bw.clientId, secret = bw.apiKey
//   bw.failImportAt('S5');                 // partial application
//   bw.throttle('token', 30);              // 429 + Retry-After: 30
//   bw.members();                          // state of the default organization
//   await bw.close();
//
// Test-only: lives in test-support and is never imported by shipped code.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeBitwardenState, FakeServerClock } from './state.js';
import type {
  FakeCounters,
  FakeEvent,
  FakeGroup,
  FakeGroupSeed,
  FakeMember,
  FakeMemberSeed,
  FakeMode,
  FakeOrganization,
  FakeOrganizationSeed,
  FakeStateSnapshot,
} from './state.js';
import { FakeTokenIssuer, checkBearer, officialToken, vaultwardenToken } from './token.js';
import { FaultInjector, OfficialRateLimiter, VaultwardenLoginLimiter, faultResponse } from './faults.js';
import type { ActiveFault, FakeRoute, FaultAction, FaultRule, ImportStep } from './faults.js';
import { officialImport } from './import-official.js';
import { vaultwardenImport } from './import-vaultwarden.js';
import { matchReadRoute, officialRead } from './read-endpoints.js';
import { mediaType, rocketError } from './responses.js';
import type { FakeRequest, FakeResponse } from './responses.js';

/** Options of {@link startFakeBitwarden}. */
export interface FakeBitwardenOptions {
  /** Default `bitwarden`. */
  mode?: FakeMode;
  /** Official server self-hosted (no 2000 limit, no autoscale, no subscription endpoint). Default false. */
  selfHosted?: boolean;
  /** Port on 127.0.0.1. Default 0 (random). */
  port?: number;
  /** Overrides for the default organization. */
  organization?: FakeOrganizationSeed;
  /** Overrides for the default confirmed Owner (`owner@example.com`), or false for none. */
  owner?: Partial<FakeMemberSeed> | false;
  /** Seed the default organization and owner. Default true. */
  seed?: boolean;
  /** Freeze the fake clock at this time (default: live clock). */
  now?: Date;
  /** Largest request body in bytes. Default 30,000,000 (`bitwarden`) / 20 MiB (`vaultwarden`). */
  maxBodyBytes?: number;
  /** Turn on the rate limiter (§2.7 cloud limits; Vaultwarden login limit). Default false. */
  rateLimit?: boolean;
  /** Access token lifetime in seconds. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Request bodies larger than this are logged as `{ truncated, bytes }`. Default 5 MiB. */
  logBodyLimitBytes?: number;
}

/** One request as the fake saw it. Secrets (`Authorization`, `client_secret`, `access_token`) are redacted. */
export interface FakeRequestLogEntry {
  /** ISO time per the fake clock. */
  time: string;
  method: string;
  /** Path as received (without query). */
  path: string;
  route: FakeRoute;
  query: Record<string, string>;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed form or JSON, text, null when empty, or `{ truncated: true, bytes }`. */
  body: unknown;
  bytes: number;
  /** 0 when the connection was reset by a fault. */
  status: number;
  /** The injected fault, if any (`status 503`, `reset`, `delay 200`, `throttle`, `import-step S5`). */
  fault?: string;
  /** `answer-then-apply`: the status the server's own handling gave, once it has run. */
  heldStatus?: number;
}

/** Options shared by the fault helpers. */
export interface FaultOptions {
  /** Fire first on the k-th matching call (1-based). Default 1. */
  onCall?: number;
  /** How many calls to affect. Default 1; `Infinity` for all. */
  times?: number;
  /** Only this method. */
  method?: string;
}

const REDACTED = '***';

function redactHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization' || name === 'proxy-authorization') {
      const scheme = text.split(' ')[0] ?? '';
      out[name] = `${scheme} ${REDACTED}`;
    } else if (name === 'cookie') out[name] = REDACTED;
    else out[name] = text;
  }
  return out;
}

function logBody(request: FakeRequest, limit: number): unknown {
  if (request.body.length === 0) return null;
  if (request.body.length > limit) return { truncated: true, bytes: request.body.length };
  const type = mediaType(request.headers['content-type']);
  const text = request.body.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') {
    const form: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(text)) form[key] = /secret|password/i.test(key) ? REDACTED : value;
    return form;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.length > 10_000 ? `${text.slice(0, 10_000)}…` : text;
  }
}

function describeFault(action: FaultAction): string {
  switch (action.kind) {
    case 'status':
      return `status ${action.status}`;
    case 'delay':
      return `delay ${action.ms}`;
    case 'throttle':
      return `throttle ${action.retryAfter}`;
    case 'import-step':
      return `import-step ${action.step}`;
    case 'answer-then-apply':
      return `answer ${action.status}, apply after ${action.afterMs} ms`;
    default:
      return action.kind;
  }
}

/** The running fake and its control surface. */
export class FakeBitwarden {
  /** `http://127.0.0.1:<port>`: use as the connector's `server` (base) URL. */
  readonly url: string;
  /** `<url>/api`. */
  readonly apiUrl: string;
  /** `<url>/identity`. */
  readonly identityUrl: string;
  readonly port: number;
  readonly mode: FakeMode;
  /** Everything the fake knows; mutate freely to seed. */
  readonly state: FakeBitwardenState;
  /** The fake clock (token expiry, events, rate limits). */
  readonly clock: FakeServerClock;
  /** Fault rules (see also the helpers `fail`, `resetConnection`, `delay`, `throttle`, `failImportAt`). */
  readonly faults = new FaultInjector();
  /** Issued tokens. */
  readonly tokens: FakeTokenIssuer;
  /** Largest accepted request body in bytes. */
  maxBodyBytes: number;

  readonly #server: http.Server;
  readonly #sockets = new Set<Socket>();
  readonly #log: FakeRequestLogEntry[] = [];
  readonly #logBodyLimit: number;
  #rateLimit: boolean;
  #officialLimiter: OfficialRateLimiter;
  #vaultwardenLimiter: VaultwardenLoginLimiter;
  readonly #defaultOrgId: string | null;
  /** Requests answered early and still being handled (`answer-then-apply` faults). */
  readonly #held: Promise<void>[] = [];

  /** Use {@link startFakeBitwarden}. */
  constructor(server: http.Server, options: FakeBitwardenOptions, state: FakeBitwardenState, defaultOrgId: string | null) {
    this.#server = server;
    const port = (server.address() as AddressInfo).port;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.url}/api`;
    this.identityUrl = `${this.url}/identity`;
    this.mode = options.mode ?? 'bitwarden';
    this.state = state;
    this.clock = state.clock;
    this.tokens = new FakeTokenIssuer(state, options.tokenLifetimeSeconds ?? 3600);
    this.maxBodyBytes = options.maxBodyBytes ?? (this.mode === 'vaultwarden' ? 20 * 1024 * 1024 : 30_000_000);
    this.#logBodyLimit = options.logBodyLimitBytes ?? 5 * 1024 * 1024;
    this.#rateLimit = options.rateLimit ?? false;
    this.#officialLimiter = new OfficialRateLimiter(this.clock);
    this.#vaultwardenLimiter = new VaultwardenLoginLimiter(this.clock);
    this.#defaultOrgId = defaultOrgId;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => this.#receive(req, res));
  }

  // ----------------------------------------------------------------------------------------------
  // Default organization

  /** The seeded organization. */
  get organization(): FakeOrganization {
    const org = this.#defaultOrgId === null ? undefined : this.state.organization(this.#defaultOrgId);
    if (org === undefined) throw new Error('The fake has no default organization (seed: false, or it was removed).');
    return org;
  }

  /** `organization.<id>` of the default organization. */
  get clientId(): string {
    return `organization.${this.organization.id}`;
  }

  /** API key (client secret) of the default organization. */
  get apiKey(): string {
    return this.organization.apiKey;
  }

  #orgId(orgId?: string): string {
    return orgId ?? this.organization.id;
  }

  // ----------------------------------------------------------------------------------------------
  // State helpers

  /** Adds another organization (§8.3 defaults, `selfHosted` as the server). */
  addOrganization(seed: FakeOrganizationSeed = {}): FakeOrganization {
    return this.state.addOrganization({ selfHosted: this.organizationDefaults.selfHosted, ...seed });
  }

  /** Defaults applied to organizations created through the control surface. */
  readonly organizationDefaults: { selfHosted: boolean } = { selfHosted: false };

  /** Adds a member (default: confirmed User with a master password) to the default or given organization. */
  addMember(seed: FakeMemberSeed, orgId?: string): FakeMember {
    return this.state.addMember(this.#orgId(orgId), seed);
  }

  /** Adds a group to the default or given organization. */
  addGroup(seed: FakeGroupSeed, orgId?: string): FakeGroup {
    return this.state.addGroup(this.#orgId(orgId), seed);
  }

  /** Members of the default or given organization (live objects). */
  members(orgId?: string): FakeMember[] {
    return this.state.membersOf(this.#orgId(orgId));
  }

  /** Groups of the default or given organization (live objects). */
  groups(orgId?: string): FakeGroup[] {
    return this.state.groupsOf(this.#orgId(orgId));
  }

  /** Events of the default or given organization, oldest first. */
  events(orgId?: string): FakeEvent[] {
    return this.state.eventsOf(this.#orgId(orgId));
  }

  /** The member with this email (case-insensitive). */
  member(email: string, orgId?: string): FakeMember | undefined {
    return this.members(orgId).find((m) => m.email === email.toLowerCase());
  }

  /** The group with this externalId (exact). */
  group(externalId: string, orgId?: string): FakeGroup | undefined {
    return this.groups(orgId).find((g) => g.externalId === externalId);
  }

  /** Invite and autoscale counters. */
  get counters(): FakeCounters {
    return this.state.counters;
  }

  /** A deep copy of the whole state. */
  snapshot(): FakeStateSnapshot {
    return this.state.snapshot();
  }

  /** Issues a token directly (e.g. `{ scope: ['api'] }` to provoke 403). */
  issueToken(options: { orgId?: string; scope?: string[]; lifetimeSeconds?: number } = {}): string {
    const issueOptions: { scope?: string[]; issuer: string; lifetimeSeconds?: number } = { issuer: this.identityUrl };
    if (options.scope !== undefined) issueOptions.scope = options.scope;
    if (options.lifetimeSeconds !== undefined) issueOptions.lifetimeSeconds = options.lifetimeSeconds;
    return this.tokens.issue(this.#orgId(options.orgId), issueOptions).token;
  }

  // ----------------------------------------------------------------------------------------------
  // Request log

  /** The request log (optionally only one route and/or method). */
  requests(filter: { route?: FakeRoute; method?: string } = {}): FakeRequestLogEntry[] {
    return this.#log.filter((entry) => (filter.route === undefined || entry.route === filter.route) && (filter.method === undefined || entry.method === filter.method.toUpperCase()));
  }

  /** Empties the request log. */
  clearRequests(): void {
    this.#log.length = 0;
  }

  // ----------------------------------------------------------------------------------------------
  // Faults and limits

  /** Adds a raw fault rule. */
  inject(rule: FaultRule): ActiveFault {
    return this.faults.add(rule);
  }

  /** Resolves once every request answered early by an `answer-then-apply` fault has been handled. */
  async settled(): Promise<void> {
    await Promise.all(this.#held);
  }

  /** Answers `status` (optional body/headers) on `route`. */
  fail(route: FakeRoute | '*', status: number, options: FaultOptions & { body?: string | object; headers?: Record<string, string> } = {}): ActiveFault {
    const action: FaultAction = { kind: 'status', status };
    if (options.body !== undefined) action.body = options.body;
    if (options.headers !== undefined) action.headers = options.headers;
    return this.inject({ ...this.#ruleOptions(options), route, action });
  }

  /** Destroys the connection without an answer. */
  resetConnection(route: FakeRoute | '*', options: FaultOptions = {}): ActiveFault {
    return this.inject({ ...this.#ruleOptions(options), route, action: { kind: 'reset' } });
  }

  /** Delays the answer by `ms` real milliseconds. */
  delay(route: FakeRoute | '*', ms: number, options: FaultOptions = {}): ActiveFault {
    return this.inject({ ...this.#ruleOptions(options), route, action: { kind: 'delay', ms } });
  }

  /** 429 with `Retry-After` (seconds or an HTTP date) and the cloud throttle body. */
  throttle(route: FakeRoute | '*', retryAfter: number | string, options: FaultOptions = {}): ActiveFault {
    return this.inject({ ...this.#ruleOptions(options), route, action: { kind: 'throttle', retryAfter } });
  }

  /** Stops the import before `step` (earlier steps stay applied) with `status` (default 500). */
  failImportAt(step: ImportStep, options: Omit<FaultOptions, 'method'> & { status?: number; body?: string | object } = {}): ActiveFault {
    const action: FaultAction = { kind: 'import-step', step };
    if (options.status !== undefined) action.status = options.status;
    if (options.body !== undefined) action.body = options.body;
    return this.inject({ ...this.#ruleOptions(options), route: 'import', action });
  }

  #ruleOptions(options: FaultOptions): Omit<FaultRule, 'route' | 'action'> {
    const rule: Omit<FaultRule, 'route' | 'action'> = {};
    if (options.onCall !== undefined) rule.onCall = options.onCall;
    if (options.times !== undefined) rule.times = options.times;
    if (options.method !== undefined) rule.method = options.method;
    return rule;
  }

  /** Turns the rate limiter on or off (counters reset). */
  setRateLimit(enabled: boolean): void {
    this.#rateLimit = enabled;
    this.#officialLimiter = new OfficialRateLimiter(this.clock);
    this.#vaultwardenLimiter = new VaultwardenLoginLimiter(this.clock);
  }

  /** Stops the server and drops open connections. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ----------------------------------------------------------------------------------------------
  // HTTP

  #receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > this.maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      this.#handle(req, res, tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), bytes, tooLarge).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(`fake-bitwarden internal error: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
    });
  }

  #route(method: string, path: string, prefix: 'api' | 'identity' | null): FakeRoute {
    const lower = path.toLowerCase().replace(/\/+$/, '');
    if (prefix !== 'api' && lower === '/connect/token') return 'token';
    if (prefix === 'identity') return 'unknown';
    if (lower === '/public/organization/import') return method === 'POST' ? 'import' : 'unknown';
    if (method !== 'GET') return 'unknown';
    return matchReadRoute(path)?.route ?? 'unknown';
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, bytes: number, tooLarge: boolean): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    let path = url.pathname;
    let prefix: 'api' | 'identity' | null = null;
    const match = /^\/(api|identity)(\/.*)?$/i.exec(path);
    if (match !== null) {
      prefix = (match[1] as string).toLowerCase() as 'api' | 'identity';
      path = match[2] ?? '/';
    }
    const request: FakeRequest = { method, path, rawPath: url.pathname, query: url.searchParams, headers: req.headers, body };
    const route = this.#route(method, path, prefix);
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) query[key] = /token|secret/i.test(key) ? REDACTED : value;
    const entry: FakeRequestLogEntry = {
      time: this.clock.now().toISOString(),
      method,
      path: url.pathname,
      route,
      query,
      headers: redactHeaders(req.headers),
      body: tooLarge ? { truncated: true, bytes } : logBody(request, this.#logBodyLimit),
      bytes,
      status: 0,
    };
    this.#log.push(entry);

    let fault = this.faults.take(route, method);
    if (fault?.kind === 'delay') {
      entry.fault = describeFault(fault);
      await sleep(fault.ms);
      fault = null;
    }
    if (fault !== null) {
      entry.fault = describeFault(fault);
      if (fault.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'status' || fault.kind === 'throttle') {
        this.#respond(res, entry, faultResponse(fault));
        return;
      }
      if (fault.kind === 'answer-then-apply') {
        this.#respond(res, entry, { status: fault.status });
        this.#held.push(
          sleep(fault.afterMs).then(() => {
            const held = this.mode === 'vaultwarden' ? this.#vaultwarden(request, route, tooLarge, () => undefined) : this.#official(request, route, tooLarge, () => undefined);
            entry.heldStatus = held.status;
          }),
        );
        return;
      }
    }
    if (this.#rateLimit && this.mode === 'bitwarden' && route !== 'unknown') {
      const limited = this.#officialLimiter.check(route, method, path.toLowerCase());
      if (limited !== null) {
        this.#respond(res, entry, limited);
        return;
      }
    }
    const noteFault = (step: ImportStep): void => {
      entry.fault = `import-step ${step}`;
    };
    const response = this.mode === 'vaultwarden' ? this.#vaultwarden(request, route, tooLarge, noteFault) : this.#official(request, route, tooLarge, noteFault);
    this.#respond(res, entry, response);
  }

  #official(request: FakeRequest, route: FakeRoute, tooLarge: boolean, noteFault: (step: ImportStep) => void): FakeResponse {
    if (route === 'unknown') return { status: 404 };
    if (route === 'token') return tooLarge ? { status: 413 } : officialToken(request, this.state, this.tokens, this.identityUrl);
    // Authorization runs before the body is read, so 401 wins over 413.
    const auth = checkBearer(request, 'bitwarden', this.tokens);
    if (!auth.ok) return auth.response;
    if (tooLarge) return { status: 413 };
    if (route === 'import') return officialImport(request, { state: this.state, faults: this.faults, orgId: auth.token.orgId, noteFault });
    const read = matchReadRoute(request.path);
    if (read === null) return { status: 404 };
    return officialRead(request, read, this.state, auth.token.orgId);
  }

  #vaultwarden(request: FakeRequest, route: FakeRoute, tooLarge: boolean, noteFault: (step: ImportStep) => void): FakeResponse {
    if (route === 'token') {
      if (tooLarge) return rocketError(413);
      return vaultwardenToken(request, this.state, this.tokens, this.url, () => this.#rateLimit && this.#vaultwardenLimiter.limited());
    }
    if (route !== 'import') return rocketError(404);
    const auth = checkBearer(request, 'vaultwarden', this.tokens);
    if (!auth.ok) return auth.response;
    if (tooLarge) return rocketError(413);
    return vaultwardenImport(request, { state: this.state, faults: this.faults, orgId: auth.token.orgId, noteFault });
  }

  #respond(res: http.ServerResponse, entry: FakeRequestLogEntry, response: FakeResponse): void {
    entry.status = response.status;
    const headers: Record<string, string | number> = { ...response.headers };
    let payload: string | undefined;
    if (typeof response.body === 'string') payload = response.body;
    else if (response.body !== undefined) {
      payload = JSON.stringify(response.body);
      headers['Content-Type'] = 'application/json; charset=utf-8';
    }
    headers['Content-Length'] = payload === undefined ? 0 : Buffer.byteLength(payload);
    res.writeHead(response.status, headers);
    res.end(payload);
  }
}

/** Starts the fake on 127.0.0.1 (random port unless `port` is given). */
export async function startFakeBitwarden(options: FakeBitwardenOptions = {}): Promise<FakeBitwarden> {
  const clock = new FakeServerClock(options.now);
  const state = new FakeBitwardenState(clock);
  const selfHosted = options.selfHosted ?? false;
  let defaultOrgId: string | null = null;
  if (options.seed ?? true) {
    const org = state.addOrganization({ selfHosted, ...options.organization });
    defaultOrgId = org.id;
    if (options.owner !== false) {
      state.addMember(org.id, { email: 'owner@example.com', name: 'Owner', type: 0, status: 2, hasMasterPassword: true, ...options.owner });
    }
  }
  const server = http.createServer({ keepAliveTimeout: 5000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const fake = new FakeBitwarden(server, options, state, defaultOrgId);
  fake.organizationDefaults.selfHosted = selfHosted;
  return fake;
}
