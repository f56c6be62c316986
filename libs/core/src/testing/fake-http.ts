/**
 * A scripted in-memory HttpClient for unit tests: register replies per method and path, then read
 * back what was sent.
 *
 * ```ts
 * const http = new FakeHttpClient()
 *   .on('POST', '/identity/connect/token', { status: 200, body: { access_token: 't', expires_in: 3600 } })
 *   .on('POST', '/api/public/organization/import', { status: 503 }, { status: 200 });
 * ```
 * Replies for one route are used in order; the last one repeats.
 */
import type { HttpClient, HttpRequest, HttpResponse } from '../ports.js';

/** A canned response. An object `body` is sent as JSON with `content-type: application/json`. */
export interface FakeHttpResponse {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  body?: string | object;
}

/** Reject `send` with this error (a network failure). */
export interface FakeHttpFailure {
  error: unknown;
}

/** A computed reply; `call` is the 1-based number of requests this route has seen. */
export type FakeHttpHandler = (request: HttpRequest, call: number) => FakeHttpResponse | FakeHttpFailure | Promise<FakeHttpResponse | FakeHttpFailure>;

/** One scripted reply. */
export type FakeHttpReply = FakeHttpResponse | FakeHttpFailure | FakeHttpHandler;

interface Route {
  method: HttpRequest['method'];
  path: string | RegExp;
  replies: FakeHttpReply[];
  calls: number;
}

/** An error shaped like Node's system errors (`code` = `ECONNREFUSED`, `ECONNRESET`, …). */
export function networkError(code = 'ECONNREFUSED', message = `connect ${code}`): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** Scripted HttpClient; see the module comment. */
export class FakeHttpClient implements HttpClient {
  /** Every request sent, in order (including unmatched ones). */
  readonly requests: HttpRequest[] = [];
  /** Requests that matched no route (they reject with an error naming the route). */
  readonly unmatched: HttpRequest[] = [];
  readonly #routes: Route[] = [];

  /**
   * Adds replies for `method` + `path` (exact URL path, e.g. `/api/public/members`, or a RegExp
   * tested against the full URL). Later registrations for the same route are tried first.
   */
  on(method: HttpRequest['method'], path: string | RegExp, ...replies: FakeHttpReply[]): this {
    if (replies.length === 0) throw new Error('FakeHttpClient.on needs at least one reply');
    this.#routes.unshift({ method, path, replies, calls: 0 });
    return this;
  }

  /** Requests sent to `method` + exact path (all requests when omitted). */
  calls(method?: HttpRequest['method'], path?: string): HttpRequest[] {
    return this.requests.filter((r) => (method === undefined || r.method === method) && (path === undefined || pathOf(r.url) === path));
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    this.requests.push(request);
    if (request.signal?.aborted) throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    const path = pathOf(request.url);
    const route = this.#routes.find(
      (r) => r.method === request.method && (typeof r.path === 'string' ? r.path === path : r.path.test(request.url)),
    );
    if (route === undefined) {
      this.unmatched.push(request);
      throw new Error(`FakeHttpClient: no reply scripted for ${request.method} ${path}`);
    }
    route.calls++;
    const reply = route.replies[Math.min(route.calls, route.replies.length) - 1] as FakeHttpReply;
    const outcome = typeof reply === 'function' ? await reply(request, route.calls) : reply;
    if ('error' in outcome) throw outcome.error;
    const headers: Record<string, string> = {};
    let body = '';
    if (typeof outcome.body === 'string') body = outcome.body;
    else if (outcome.body !== undefined) {
      body = JSON.stringify(outcome.body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    for (const [name, value] of Object.entries(outcome.headers ?? {})) headers[name.toLowerCase()] = value;
    return { status: outcome.status ?? 200, headers, body };
  }
}
