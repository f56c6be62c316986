// The fake Microsoft Entra ID + Graph server (directory-apis.md §2.10): HTTPS on 127.0.0.1 with a CA
// made by the test, the sign-in endpoints (OpenID metadata, client secret and certificate), Graph
// reads with absolute `@odata.nextLink` paging and delta rounds, and an in-process control surface:
// seedable and mutable data, a request log, and fault injection (429 storms with Retry-After, 5xx,
// a failed middle page, expired delta tokens, 403 permission denied, expired access tokens).
//
//   const entra = await startFakeEntra();
//   seedReferenceTenant(entra.directory);
//   // config: entra.identityAuthority = entra.graphUrl = entra.url, entra.tenant = entra.tenant …
//   // child processes trust entra.tls.caCertPath through NODE_EXTRA_CA_CERTS
//   entra.throttle(/\/users\/delta/, 3, 1);    // three 429s with Retry-After: 1
//   entra.failPage(/\/users\/delta/, 2);        // the second page answers 500 until cleared
//   await entra.close();
//
// Test-only: lives in test-support and is never imported by shipped code.

import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeEntraDirectory } from './directory.js';
import { graphError, graphRoute, type DeltaState, type GraphCollection, type GraphDocument, type GraphRouteOptions } from './graph-routes.js';
import { openIdConfiguration, tokenRequestProblem, type FakeEntraApp } from './token-endpoint.js';
import { makeFakeEntraTls, type FakeEntraTls } from './tls.js';

/** Options of {@link startFakeEntra}. */
export interface FakeEntraOptions {
  /** TLS material (default: made fresh with openssl). */
  tls?: FakeEntraTls;
  port?: number;
  tenant?: string;
  /** Verified domain accepted as the tenant too. Default `dirconn-test.onmicrosoft.com`. */
  tenantDomain?: string;
  clientId?: string;
  clientSecret?: string;
  /** Accept certificate credentials with the generated app certificate. Default true. */
  certificateCredentials?: boolean;
  /** Access token lifetime in seconds. Default 3599. */
  tokenLifetimeSeconds?: number;
  deltaPageSize?: number;
  groupMembersPerItem?: number;
}

/** One fault rule: requests whose path matches answer `status` (the page-th page only, when given). */
export interface FakeEntraFault {
  path: RegExp;
  status: number;
  /** Times to fire; default forever. */
  times?: number;
  /** Only this page (1-based) of a paged answer. */
  page?: number;
  /** `Retry-After` header value (seconds or an HTTP date). */
  retryAfter?: string;
  code?: string;
  message?: string;
}

/** One request as the fake saw it (no secrets: tokens and secrets are not logged). */
export interface FakeEntraRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Page number of a paged Graph answer (1 = first). */
  page: number | null;
  status: number;
}

interface Pending {
  items: unknown[];
  offset: number;
  pageSize: number;
  page: number;
  path: string;
  final: Record<string, string>;
}

/** The running fake; see the module comment. */
export interface FakeEntra {
  url: string;
  tenant: string;
  tenantDomain: string;
  clientId: string;
  clientSecret: string;
  tls: FakeEntraTls;
  directory: FakeEntraDirectory;
  options: GraphRouteOptions;
  /** Requests so far (Graph and sign-in). */
  requests(filter?: { path?: RegExp }): FakeEntraRequest[];
  clearRequests(): void;
  addFault(fault: FakeEntraFault): () => void;
  clearFaults(): void;
  /** `times` answers 429 with Retry-After (seconds) on matching paths. */
  throttle(path: RegExp, times: number, retryAfterSeconds: number): () => void;
  /** The page-th page of matching collections answers `status` (default 500), `times` times (default forever). */
  failPage(path: RegExp, page: number, status?: number, times?: number): () => void;
  /** Matching Graph requests answer 403 Authorization_RequestDenied. */
  denyPermission(path: RegExp): () => void;
  /** Every delta token issued so far becomes invalid: 410 (default) or 400 syncStateNotFound. */
  expireDeltaTokens(answer?: 'gone' | 'syncStateNotFound'): void;
  /** Every access token issued so far is rejected with 401. */
  expireAccessTokens(): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the fake on 127.0.0.1; see the module comment. */
export async function startFakeEntra(options: FakeEntraOptions = {}): Promise<FakeEntra> {
  const tls = options.tls ?? (await makeFakeEntraTls());
  const tenant = (options.tenant ?? randomUUID()).toLowerCase();
  const tenantDomain = options.tenantDomain ?? 'dirconn-test.onmicrosoft.com';
  const clientId = (options.clientId ?? randomUUID()).toLowerCase();
  const clientSecret = options.clientSecret ?? `fake~${randomBytes(18).toString('base64url')}`;
  const directory = new FakeEntraDirectory();
  const routeOptions: GraphRouteOptions = { deltaPageSize: options.deltaPageSize ?? 200, groupMembersPerItem: options.groupMembersPerItem ?? 500, partialDeltaUpdates: false };
  const log: FakeEntraRequest[] = [];
  const faults: (FakeEntraFault & { fired: number })[] = [];
  const pending = new Map<string, Pending>();
  const accessTokens = new Map<string, number>();
  const deltaStates = new Map<string, DeltaState>();
  let deltaSeq = 0;
  let minDeltaSeq = 0;
  let expiredAnswer: 'gone' | 'syncStateNotFound' = 'gone';
  let url = '';

  const tokens = {
    issue(state: Omit<DeltaState, 'seq'>): string {
      const token = randomBytes(12).toString('base64url');
      deltaStates.set(token, { ...state, seq: ++deltaSeq });
      return token;
    },
    read(token: string): DeltaState | null {
      const state = deltaStates.get(token);
      return state === undefined || state.seq <= minDeltaSeq ? null : state;
    },
  };

  const fault = (path: string, page: number | null): FakeEntraFault | null => {
    for (const f of faults) {
      if (!f.path.test(path)) continue;
      if (f.page !== undefined && f.page !== page) continue;
      if (f.times !== undefined && f.fired >= f.times) continue;
      f.fired++;
      return f;
    }
    return null;
  };

  const graph = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, entry: FakeEntraRequest): void => {
    const auth = req.headers.authorization ?? '';
    const expiry = accessTokens.get(auth.replace(/^Bearer /, ''));
    if (!auth.startsWith('Bearer ') || expiry === undefined || expiry < Date.now()) {
      entry.status = 401;
      send(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty, invalid or has expired.' } });
      return;
    }
    // A nextLink: the rest of an answer computed on its first page.
    const skip = query.get('$skiptoken');
    let answer: GraphDocument | GraphCollection | null;
    let state: Pending | undefined;
    if (skip !== null) {
      state = pending.get(skip);
      if (state === undefined || state.path !== path) answer = graphError(400, 'Request_BadRequest', 'The skip token is invalid or has expired.');
      else answer = null;
    } else {
      const prefer = req.headers['prefer'];
      const headers = { prefer: typeof prefer === 'string' ? prefer : undefined };
      const routed = graphRoute(directory, path.slice('/v1.0'.length), query, headers, tokens, routeOptions, url);
      answer = routed ?? graphError(400, 'BadRequest', `Resource not found for the segment '${path}'.`);
      if (answer.kind === 'document' && answer.status === 410 && expiredAnswer === 'syncStateNotFound') answer = graphError(400, 'syncStateNotFound', 'The delta token is no longer valid.');
      if (answer.kind === 'collection') state = { items: answer.items, offset: 0, pageSize: answer.pageSize, page: 1, path, final: answer.final };
    }
    entry.page = state?.page ?? null;
    const f = fault(path, entry.page);
    if (f !== null) {
      entry.status = f.status;
      const code = f.code ?? (f.status === 429 ? 'TooManyRequests' : f.status === 403 ? 'Authorization_RequestDenied' : f.status >= 500 ? 'serviceNotAvailable' : 'BadRequest');
      const message = f.message ?? (f.status === 403 ? 'Insufficient privileges to complete the operation.' : 'Injected fault.');
      send(res, f.status, { error: { code, message } }, f.retryAfter === undefined ? {} : { 'retry-after': f.retryAfter });
      return; // the page stays available: a retry of the same link succeeds
    }
    if (answer !== null && answer.kind === 'document') {
      entry.status = answer.status;
      send(res, answer.status, answer.body, answer.headers);
      return;
    }
    if (state === undefined) return;
    if (skip !== null) pending.delete(skip);
    const items = state.items.slice(state.offset, state.offset + state.pageSize);
    const body: Record<string, unknown> = { '@odata.context': `${url}/v1.0/$metadata#${path.split('/')[2] ?? ''}`, value: items };
    if (state.offset + state.pageSize < state.items.length) {
      const token = randomBytes(12).toString('base64url');
      pending.set(token, { ...state, offset: state.offset + state.pageSize, page: state.page + 1 });
      body['@odata.nextLink'] = `${url}${path}?$skiptoken=${token}`;
    } else {
      Object.assign(body, state.final);
    }
    entry.status = 200;
    send(res, 200, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parsed = new URL(req.url ?? '/', url);
    const path = parsed.pathname;
    const entry: FakeEntraRequest = { method: req.method ?? 'GET', path, query: Object.fromEntries([...parsed.searchParams].filter(([k]) => k !== 'client_secret')), page: null, status: 0 };
    log.push(entry);
    const app: FakeEntraApp = { tenant, tenantAliases: [tenantDomain.toLowerCase()], clientId, clientSecret, certificate: options.certificateCredentials === false ? null : tls.appCert, graphRoot: url };
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && (m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path))) {
      entry.status = 200;
      send(res, 200, openIdConfiguration(url, m[1] ?? ''));
      return;
    }
    if (req.method === 'POST' && (m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path))) {
      const form = new URLSearchParams(await readBody(req));
      const f = fault(path, null);
      if (f !== null) {
        entry.status = f.status;
        send(res, f.status, { error: f.code ?? 'temporarily_unavailable', error_description: f.message ?? 'Injected fault.' }, f.retryAfter === undefined ? {} : { 'retry-after': f.retryAfter });
        return;
      }
      const problem = tokenRequestProblem(m[1] ?? '', form, app, `${url}/${m[1] ?? ''}/oauth2/v2.0/token`, Math.floor(Date.now() / 1000));
      if (problem !== null) {
        entry.status = problem.status;
        send(res, problem.status, { error: problem.error, error_description: problem.description, error_codes: [Number(/AADSTS(\d+)/.exec(problem.description)?.[1] ?? 0)], timestamp: new Date().toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() });
        return;
      }
      const lifetime = options.tokenLifetimeSeconds ?? 3599;
      const token = `fake-access-${randomBytes(24).toString('base64url')}`;
      accessTokens.set(token, Date.now() + lifetime * 1000);
      entry.status = 200;
      send(res, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token });
      return;
    }
    if (req.method === 'GET' && path.startsWith('/v1.0/')) {
      graph(req, res, path, parsed.searchParams, entry);
      return;
    }
    entry.status = 404;
    send(res, 404, { error: { code: 'NotFound', message: `No route ${req.method ?? ''} ${path}` } });
  };

  const server = https.createServer({ cert: tls.serverCert, key: tls.serverKey }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { code: 'InternalServerError', message: String(error) } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const add = (f: FakeEntraFault): (() => void) => {
    const rule = { ...f, fired: 0 };
    faults.push(rule);
    return () => {
      const index = faults.indexOf(rule);
      if (index >= 0) faults.splice(index, 1);
    };
  };

  return {
    url,
    tenant,
    tenantDomain,
    clientId,
    clientSecret,
    tls,
    directory,
    options: routeOptions,
    requests: (filter) => log.filter((r) => filter?.path === undefined || filter.path.test(r.path)),
    clearRequests: () => {
      log.length = 0;
    },
    addFault: add,
    clearFaults: () => {
      faults.length = 0;
    },
    throttle: (path, times, seconds) => add({ path, status: 429, times, retryAfter: String(seconds) }),
    failPage: (path, page, status = 500, times) => add({ path, status, page, ...(times === undefined ? {} : { times }) }),
    denyPermission: (path) => add({ path, status: 403 }),
    expireDeltaTokens: (answer = 'gone') => {
      minDeltaSeq = deltaSeq;
      expiredAnswer = answer;
    },
    expireAccessTokens: () => {
      accessTokens.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

